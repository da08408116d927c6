import type { RoleBinding } from 'kubernetes-types/rbac/v1';
import { buildTenantManifests } from './tenant.manifests';
import { fromRbacSubject, isTenantNamespace, tenantMembers, tenantView } from './tenant.view';

describe('tenant view', () => {
  const built = buildTenantManifests({
    name: 'team-a', quota: { pods: 2, cpu: '2' },
    members: [{ subject: 'user:alice', role: 'edit' }, { subject: 'group:ops', role: 'admin' }, { subject: 'serviceaccount:ci:bot', role: 'edit' }],
  });
  if (!built.ok) throw new Error('fixture');
  const bindings = built.value.roleBindings as unknown as RoleBinding[];

  it('reads members back from the member bindings only, in role order', () => {
    expect(tenantMembers(bindings)).toEqual([
      { subject: 'user:alice', role: 'edit' }, { subject: 'serviceaccount:ci:bot', role: 'edit' }, { subject: 'group:ops', role: 'admin' },
    ]);
  });

  it('maps RBAC subjects back to Bosun subjects', () => {
    expect(fromRbacSubject({ kind: 'User', name: 'alice' })).toBe('user:alice');
    expect(fromRbacSubject({ kind: 'Group', name: 'ops' })).toBe('group:ops');
    expect(fromRbacSubject({ kind: 'ServiceAccount', name: 'bot', namespace: 'ci' })).toBe('serviceaccount:ci:bot');
    expect(fromRbacSubject({ kind: 'ServiceAccount', name: 'bot' })).toBeUndefined();
  });

  it('is a tenant only with its own name as the label', () => {
    expect(isTenantNamespace(built.value.namespace)).toBe(true);
    expect(isTenantNamespace({ metadata: { name: 'x', labels: { 'bosun.dev/tenant': 'team-a' } } })).toBe(false);
    expect(isTenantNamespace({ metadata: { name: 'x' } })).toBe(false);
    expect(isTenantNamespace(undefined)).toBe(false);
  });

  it('views quota hard, used and headroom with the phase', () => {
    const view = tenantView({ metadata: { name: 'team-a' }, status: { phase: 'Active' } }, {
      metadata: { name: 'bosun-quota' }, spec: { hard: { pods: '2' } }, status: { hard: { pods: '2', 'requests.cpu': '2' }, used: { pods: '1', 'requests.cpu': '500m' } },
    }, bindings);
    expect(view).toMatchObject({ name: 'team-a', phase: 'Active', quota: { hard: { pods: '2', 'requests.cpu': '2' }, used: { pods: '1', 'requests.cpu': '500m' }, headroom: { pods: '1', 'requests.cpu': '1500m' } } });
  });
});
