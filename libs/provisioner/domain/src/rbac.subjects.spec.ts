import { serviceAccountUser, toRbacSubject } from './rbac.subjects';
import { errorsOf, valueOf } from '@bosun/testing';

describe('toRbacSubject (Bosun subject → Kubernetes identity, 004:5583-5880)', () => {
  it.each([
    ['user:alice', { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' }],
    ['user:alice@example.com', { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice@example.com' }],
    ['group:devs', { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'devs' }],
    ['group:system:masters', { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:masters' }],
    // a ServiceAccount subject has no apiGroup and names its namespace
    ['serviceaccount:ci:deployer', { kind: 'ServiceAccount', name: 'deployer', namespace: 'ci' }],
    ['serviceaccount:ci:my.bot', { kind: 'ServiceAccount', name: 'my.bot', namespace: 'ci' }],
  ])('%s', (subject, expected) => {
    expect(valueOf(toRbacSubject(subject))).toEqual(expected);
  });

  it.each(['alice', 'user:', 'admin:root', 'serviceaccount:a:b:c', 'serviceaccount::sa', 'user:a b'])('refuses %s', (subject) => {
    expect(errorsOf(toRbacSubject(subject, 'members.3.subject'))[0].path).toBe('members.3.subject');
  });

  it('names the user a service account token authenticates as', () => {
    expect(serviceAccountUser('team-a', 'bosun-edit')).toBe('system:serviceaccount:team-a:bosun-edit');
  });
});
