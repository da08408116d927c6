import { kubernetesIdentity, kubernetesUser } from './actor.identity';

describe('kubernetesIdentity', () => {
  it.each([
    ['user:alice', 'alice'],
    ['user:alice@example.com', 'alice@example.com'],
    ['serviceaccount:ci:deployer', 'system:serviceaccount:ci:deployer'],
    ['group:ops', 'group:ops'],
    ['admin', 'admin'],
  ])('maps the subject %s to the Kubernetes user %s', (subject, user) => {
    expect(kubernetesUser(subject)).toBe(user);
  });

  it('passes groups as given, without adding any', () => {
    expect(kubernetesIdentity({ subject: 'user:admin', groups: ['system:masters'] })).toEqual({ user: 'admin', groups: ['system:masters'] });
    expect(kubernetesIdentity({ subject: 'user:bob', groups: [] })).toEqual({ user: 'bob', groups: [] });
  });
});
