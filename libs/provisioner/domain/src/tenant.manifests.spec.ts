import type { LimitRange, Namespace, ResourceQuota, ServiceAccount } from 'kubernetes-types/core/v1';
import type { RoleBinding } from 'kubernetes-types/rbac/v1';
import { buildTenantManifests, credentialAccess, quotaHard, tenantApplyOrder, type TenantManifests } from './tenant.manifests';
import { errorsOf, valueOf } from '@bosun/testing';

const labels = { 'bosun.dev/tenant': 'team-a', 'app.kubernetes.io/managed-by': 'bosun' };
const meta = (name: string): { name: string; namespace: string; labels: typeof labels } => ({ name, namespace: 'team-a', labels });

describe('buildTenantManifests', () => {
  it('builds every object of a full request, exactly', () => {
    const m = valueOf(buildTenantManifests({
      name: 'team-a',
      quota: { cpu: '4', memory: '8Gi', pods: 20, storage: '100Gi', persistentVolumeClaims: '10' },
      limits: { max: { memory: '1Gi' }, min: { memory: '500Mi' }, default: { cpu: '1' } },
      members: [
        { subject: 'user:alice', role: 'admin' },
        { subject: 'group:devs', role: 'edit' },
        { subject: 'serviceaccount:ci:deployer', role: 'edit' },
      ],
    }));
    expect(m).toEqual<TenantManifests>({
      namespace: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', labels } },
      resourceQuota: {
        apiVersion: 'v1', kind: 'ResourceQuota', metadata: meta('bosun-quota'),
        spec: {
          hard: {
            'requests.cpu': '4', 'limits.cpu': '4', 'requests.memory': '8Gi', 'limits.memory': '8Gi',
            pods: '20', 'requests.storage': '100Gi', persistentvolumeclaims: '10',
          },
        },
      },
      limitRange: {
        apiVersion: 'v1', kind: 'LimitRange', metadata: meta('bosun-limits'),
        // written defaulted, as the apiserver would store it (000:1302-1312)
        spec: { limits: [{ type: 'Container', default: { cpu: '1', memory: '1Gi' }, defaultRequest: { cpu: '1', memory: '1Gi' }, max: { memory: '1Gi' }, min: { memory: '500Mi' } }] },
      },
      serviceAccount: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('bosun-edit') },
      roleBindings: [
        {
          apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta('bosun-members-edit'),
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
          subjects: [
            { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'devs' },
            { kind: 'ServiceAccount', name: 'deployer', namespace: 'ci' },
          ],
        },
        {
          apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta('bosun-members-admin'),
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
          subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' }],
        },
        {
          apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta('bosun-sa-edit'),
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
          subjects: [{ kind: 'ServiceAccount', name: 'bosun-edit', namespace: 'team-a' }],
        },
      ],
    });
    // The objects are what kubernetes-types (and so the client) expect.
    const typed: [Namespace, ResourceQuota?, LimitRange?, ServiceAccount?, ...RoleBinding[]] = [m.namespace, m.resourceQuota, m.limitRange, m.serviceAccount, ...m.roleBindings];
    expect(typed).toHaveLength(7);
  });

  it('a bare request is a namespace, its service account and that account\'s binding', () => {
    const m = valueOf(buildTenantManifests({ name: 'team-b' }));
    expect(m.resourceQuota).toBeUndefined();
    expect(m.limitRange).toBeUndefined();
    expect(tenantApplyOrder(m).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Namespace/team-b', 'ServiceAccount/bosun-edit', 'RoleBinding/bosun-sa-edit']);
  });

  it('applies quota and limits before identities', () => {
    const m = valueOf(buildTenantManifests({ name: 'team-c', quota: { pods: 2 }, limits: { default: { memory: '512Mi' } }, members: [{ subject: 'user:a', role: 'view' }] }));
    expect(tenantApplyOrder(m).map((o) => o.kind)).toEqual(['Namespace', 'ResourceQuota', 'LimitRange', 'ServiceAccount', 'RoleBinding', 'RoleBinding']);
  });

  it('is deterministic: the same request gives the same objects, names never carry the member', () => {
    const req = { name: 'team-a', members: [{ subject: 'user:alice', role: 'view' as const }, { subject: 'user:bob', role: 'view' as const }] };
    expect(buildTenantManifests(req)).toEqual(buildTenantManifests(structuredClone(req)));
    expect(valueOf(buildTenantManifests(req)).roleBindings.map((b) => b.metadata.name)).toEqual(['bosun-members-view', 'bosun-sa-edit']);
  });

  it('returns the validation errors instead of manifests', () => {
    expect(errorsOf(buildTenantManifests({ name: 'kube-x', members: [{ subject: 'user:a', role: 'edit' }, { subject: 'user:a', role: 'edit' }] })).map((e) => e.path))
      .toEqual(['name', 'members.1.subject']);
  });
});

describe('quotaHard', () => {
  it.each([
    [{ cpu: '2' }, { 'requests.cpu': '2', 'limits.cpu': '2' }],
    [{ memory: '1Gi' }, { 'requests.memory': '1Gi', 'limits.memory': '1Gi' }],
    [{ pods: 2 }, { pods: '2' }],
    [{ storage: '10Gi', persistentVolumeClaims: 5 }, { 'requests.storage': '10Gi', persistentvolumeclaims: '5' }],
    [{}, {}],
  ])('%j → %j', (quota, hard) => {
    expect(quotaHard(quota)).toEqual(hard);
  });
});

describe('credentialAccess', () => {
  it('one service account per role, bound in the tenant namespace only', () => {
    expect(credentialAccess('team-a', 'view')).toEqual({
      serviceAccount: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('bosun-view') },
      roleBinding: {
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta('bosun-sa-view'),
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [{ kind: 'ServiceAccount', name: 'bosun-view', namespace: 'team-a' }],
      },
    });
  });
});
