import { planCredentials } from './credentials.plan';
import { errorsOf, valueOf } from '@bosun/testing';

const labels = { 'bosun.dev/tenant': 'team-a', 'app.kubernetes.io/managed-by': 'bosun' };

describe('planCredentials', () => {
  it('the role\'s account, its namespace-only binding and the TokenRequest (004:5250-5254)', () => {
    expect(valueOf(planCredentials('team-a', { ttlSeconds: 3600, role: 'view' }))).toEqual({
      namespace: 'team-a',
      serviceAccountName: 'bosun-view',
      user: 'system:serviceaccount:team-a:bosun-view',
      role: 'view',
      serviceAccount: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'bosun-view', namespace: 'team-a', labels } },
      roleBinding: {
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'bosun-sa-view', namespace: 'team-a', labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [{ kind: 'ServiceAccount', name: 'bosun-view', namespace: 'team-a' }],
      },
      tokenRequest: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { audiences: [], expirationSeconds: 3600 } },
    });
  });

  it('edit by default, the account the tenant was created with', () => {
    expect(valueOf(planCredentials('team-a', { ttlSeconds: 600 }))).toMatchObject({ role: 'edit', serviceAccountName: 'bosun-edit' });
  });

  it.each([
    [{ ttlSeconds: 599 }, 'ttlSeconds', 'Invalid value: 599: may not specify a duration less than 10 minutes'],
    [{ ttlSeconds: 2 ** 32 + 1 }, 'ttlSeconds', 'Invalid value: 4294967297: may not specify a duration larger than 2^32 seconds'],
    [{ ttlSeconds: 900.5 }, 'ttlSeconds', 'Invalid value: 900.5: must be a whole number of seconds'],
    [{ ttlSeconds: 900, role: 'cluster-admin' }, 'role', 'Unsupported value: "cluster-admin": supported values: "view", "edit", "admin"'],
  ])('%j → %s', (req, path, message) => {
    expect(errorsOf(planCredentials('team-a', req as never))).toEqual([{ path, message }]);
  });

  it('refuses a system namespace', () => {
    expect(errorsOf(planCredentials('kube-system', { ttlSeconds: 600 }))[0].path).toBe('name');
  });
});
