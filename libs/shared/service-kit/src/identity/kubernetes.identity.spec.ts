import { GROUP_SUBJECT_USER_PREFIX, kubernetesIdentity } from './kubernetes.identity';

describe('kubernetesIdentity', () => {
  it.each([
    ['user:alice', 'alice'],
    ['user:alice@example.com', 'alice@example.com'],
    ['serviceaccount:ci:deployer', 'system:serviceaccount:ci:deployer'],
    ['group:ops', `${GROUP_SUBJECT_USER_PREFIX}ops`],
    ['admin', 'admin'],
  ])('maps the subject %s to the Kubernetes user %s', (subject, user) => {
    expect(kubernetesIdentity({ subject, groups: [] }).user).toBe(user);
  });

  it('passes a user\'s groups as given, without adding any (the apiserver adds system:authenticated)', () => {
    expect(kubernetesIdentity({ subject: 'user:admin', groups: ['system:masters'] })).toEqual({ user: 'admin', groups: ['system:masters'] });
    expect(kubernetesIdentity({ subject: 'user:bob', groups: [] })).toEqual({ user: 'bob', groups: [] });
  });

  it('gives a service account the groups the apiserver authenticates it with, so bindings to either apply', () => {
    expect(kubernetesIdentity({ subject: 'serviceaccount:ci:deployer', groups: ['extra'] })).toEqual({
      user: 'system:serviceaccount:ci:deployer', groups: ['system:serviceaccounts', 'system:serviceaccounts:ci', 'extra'],
    });
  });

  it('acts for a group subject as a synthetic user in that group (Impersonate-Group needs a user), without duplicates', () => {
    expect(kubernetesIdentity({ subject: 'group:ops', groups: ['ops', 'oncall'] })).toEqual({ user: 'bosun:group:ops', groups: ['ops', 'oncall'] });
  });
});
