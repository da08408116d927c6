import type { TenantView } from '@bosun/contracts';
import { isKubeError } from '@bosun/kube';
import { eventually } from '@bosun/testing';
import { ProvisionerHarness } from '../testing/provisioner.harness';
import type { Json } from '../testing/provisioner.harness';

// A tenant's whole life as the gateway drives it, checked in the cluster: the objects and
// their values, the quota refusing a pod with Kubernetes' words, a member's rights inside and
// outside, the view with headroom, invalid requests and the delete that waits for Terminating.
let h: ProvisionerHarness;
let tenant: string;
let other: string;
const ALICE = { user: 'alice-prov' };

beforeAll(async () => {
  h = await ProvisionerHarness.create();
  await h.start();
  tenant = h.tenantName('prov-life');
  other = await h.namespace('prov-other');
}, 60_000);
afterAll(async () => h?.close(), 60_000);

const pod = (ns: string, name: string, resources?: object): Json => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns },
  spec: { containers: [{ name: 'app', image: 'nginx:1.27', ...(resources ? { resources } : {}) }], tolerations: [{ operator: 'Exists' }] },
});
const configMap = (ns: string, name: string): Json => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { a: '1' } });
const refusal = async (p: Promise<unknown>): Promise<{ status: number; reason: string; message: string }> => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  if (!isKubeError(err)) throw new Error(`expected a KubeError, got ${String(err)}`);
  return { status: err.status, reason: err.reason, message: err.message };
};

describe('provisioner: tenant life cycle (real NATS, Redis and Kubernetes)', () => {
  it('create: applies Namespace, ResourceQuota, LimitRange, ServiceAccount and RoleBindings as bosun, reporting each', async () => {
    const op = await h.command('tenant-create', {
      name: tenant, quota: { pods: 2, cpu: '2', memory: '2Gi' },
      limits: { default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '64Mi' }, max: { memory: '1Gi' } },
      members: [{ subject: `user:${ALICE.user}`, role: 'edit' }, { subject: 'group:prov-auditors', role: 'view' }],
    });
    const done = await h.succeeded(op);
    expect(done.result).toMatchObject({ name: tenant, phase: 'Active', warnings: [], members: [{ subject: 'group:prov-auditors', role: 'view' }, { subject: `user:${ALICE.user}`, role: 'edit' }] });
    // The namespace first; the rest, which only needs it, in parallel (any order), each reported.
    const reported = h.of(op, 'progressed').map((e) => e.progress?.message);
    expect(reported[0]).toBe(`applied Namespace ${tenant}`);
    expect(reported.slice(1).sort()).toEqual([
      'applied LimitRange bosun-limits', 'applied ResourceQuota bosun-quota', 'applied RoleBinding bosun-members-edit',
      'applied RoleBinding bosun-members-view', 'applied RoleBinding bosun-sa-edit', 'applied ServiceAccount bosun-edit',
    ]);
    const ns = await h.get('v1', 'Namespace', undefined, tenant);
    expect(ns?.metadata.labels).toMatchObject({ 'bosun.dev/tenant': tenant, 'app.kubernetes.io/managed-by': 'bosun' });
    expect(ns?.metadata.managedFields.map((m: { manager: string; operation: string }) => `${m.manager}/${m.operation}`)).toContain('bosun/Apply');
    expect((await h.get('v1', 'ResourceQuota', tenant, 'bosun-quota'))?.spec.hard).toEqual({
      pods: '2', 'requests.cpu': '2', 'limits.cpu': '2', 'requests.memory': '2Gi', 'limits.memory': '2Gi',
    });
    expect((await h.get('v1', 'LimitRange', tenant, 'bosun-limits'))?.spec.limits).toEqual([{
      type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '64Mi' }, max: { memory: '1Gi' },
    }]);
    expect(await h.get('v1', 'ServiceAccount', tenant, 'bosun-edit')).toBeDefined();
    const edit = await h.get('rbac.authorization.k8s.io/v1', 'RoleBinding', tenant, 'bosun-members-edit');
    expect(edit).toMatchObject({ roleRef: { kind: 'ClusterRole', name: 'edit' }, subjects: [{ kind: 'User', name: ALICE.user }] });
    expect(await h.get('rbac.authorization.k8s.io/v1', 'RoleBinding', tenant, 'bosun-sa-edit')).toMatchObject({
      roleRef: { name: 'edit' }, subjects: [{ kind: 'ServiceAccount', name: 'bosun-edit', namespace: tenant }],
    });
  }, 60_000);

  it('the LimitRange defaults a pod that says nothing, and the quota refuses the pod over its count with Kubernetes\' 403', async () => {
    const first = await h.admin.create(pod(tenant, 'p1'));
    expect((first as Json).spec.containers[0].resources).toEqual({ limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '64Mi' } });
    await h.admin.create(pod(tenant, 'p2'));
    const refused = await refusal(h.admin.create(pod(tenant, 'p3')));
    expect(refused).toMatchObject({ status: 403, reason: 'Forbidden' });
    expect(refused.message).toBe('pods "p3" is forbidden: exceeded quota: bosun-quota, requested: pods=1, used: pods=2, limited: pods=2');
    const tooBig = await refusal(h.admin.create(pod(tenant, 'big', { limits: { memory: '1536Mi' } })));
    expect(tooBig.message).toContain('maximum memory usage per Container is 1Gi, but limit is 1536Mi');
  }, 30_000);

  it('a member with edit acts in the tenant and nowhere else (impersonated), with Kubernetes\' words', async () => {
    await expect(h.admin.create(configMap(tenant, 'by-alice'), { as: ALICE })).resolves.toBeDefined();
    expect((await h.admin.list({ apiVersion: 'v1', kind: 'Pod', namespace: tenant }, { as: ALICE })).length).toBe(2);
    const outside = await refusal(h.admin.create(configMap(other, 'by-alice'), { as: ALICE }));
    expect(outside).toMatchObject({ status: 403, reason: 'Forbidden' });
    expect(outside.message).toBe(`configmaps is forbidden: User "${ALICE.user}" cannot create resource "configmaps" in API group "" in the namespace "${other}"`);
    const escalate = await refusal(h.admin.create({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'self-admin', namespace: tenant },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' }, subjects: [{ kind: 'User', name: ALICE.user }],
    }, { as: ALICE }));
    expect(escalate.reason).toBe('Forbidden');
  }, 30_000);

  it('view: quota hard, used and headroom; list has it; unknown → NotFound', async () => {
    const view = await eventually(async () => {
      const r = await h.query<TenantView>('tenants-get', { name: tenant });
      return r.ok && r.value.quota.used.pods === '2' ? r.value : undefined;
    }, 'quota usage synced');
    expect(view.quota).toEqual({
      hard: { pods: '2', 'requests.cpu': '2', 'limits.cpu': '2', 'requests.memory': '2Gi', 'limits.memory': '2Gi' },
      used: { pods: '2', 'requests.cpu': '200m', 'limits.cpu': '1', 'requests.memory': '128Mi', 'limits.memory': '512Mi' },
      headroom: { pods: '0', 'requests.cpu': '1800m', 'limits.cpu': '1', 'requests.memory': '1920Mi', 'limits.memory': '1536Mi' },
    });
    const list = await h.query<TenantView[]>('tenants-list', {});
    expect(list.ok && list.value.find((t) => t.name === tenant)).toMatchObject({ name: tenant, quota: { hard: { pods: '2' } } });
    expect(list.ok && list.value.some((t) => t.name === other)).toBe(false);
    expect(await h.query('tenants-get', { name: other })).toEqual({ ok: false, error: { code: 'NotFound', message: `tenant "${other}" not found` } });
  }, 30_000);

  it('create again with other members: idempotent apply, the emptied role loses its binding', async () => {
    const op = await h.command('tenant-create', { name: tenant, quota: { pods: 2, cpu: '2', memory: '2Gi' }, limits: { default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '64Mi' }, max: { memory: '1Gi' } }, members: [{ subject: `user:${ALICE.user}`, role: 'edit' }] });
    expect((await h.succeeded(op)).result).toMatchObject({ members: [{ subject: `user:${ALICE.user}`, role: 'edit' }] });
    expect(await h.get('rbac.authorization.k8s.io/v1', 'RoleBinding', tenant, 'bosun-members-view')).toBeUndefined();
  }, 30_000);

  it('refuses bad input naming the field, a foreign namespace, and a subject Kubernetes forbids', async () => {
    const reserved = await h.command('tenant-create', { name: 'kube-prov' });
    expect(await h.terminal(reserved)).toMatchObject({ type: 'failed', error: { code: 'Invalid', message: expect.stringMatching(/^invalid tenant-create command: name: Invalid value: "kube-prov": the "kube-" prefix is reserved/) } });
    const quantity = await h.command('tenant-create', { name: 'prov-bad', quota: { cpu: 'lots' } });
    expect((await h.terminal(quantity)).error).toMatchObject({ code: 'Invalid', message: expect.stringContaining('quota.cpu: must be a Kubernetes quantity') });
    const minMax = await h.command('tenant-create', { name: 'prov-bad', limits: { min: { memory: '2Gi' }, max: { memory: '1Gi' } } });
    expect((await h.terminal(minMax)).error).toMatchObject({ code: 'Invalid', message: expect.stringContaining('limits.') });
    expect(h.of(reserved, 'started')).toEqual([]);
    const foreign = await h.command('tenant-create', { name: other });
    expect((await h.terminal(foreign)).error).toEqual({ code: 'AlreadyExists', message: `namespaces "${other}" already exists and is not a Bosun tenant` });
    const asAlice = await h.command('tenant-create', { name: h.tenantName('prov-alice') }, { subject: `user:${ALICE.user}`, groups: [], via: 'api' });
    expect((await h.terminal(asAlice)).error).toMatchObject({ code: 'Forbidden', message: expect.stringContaining(`User "${ALICE.user}" cannot`) });
  }, 60_000);

  it('delete: waits for the namespace to finish Terminating, with progress; deleting again is done', async () => {
    const op = await h.command('tenant-delete', { name: tenant });
    expect((await h.succeeded(op, 90_000)).result).toEqual({ name: tenant, deleted: true });
    expect(h.of(op, 'progressed').some((e) => e.progress?.message.startsWith(`namespace ${tenant} is Terminating`))).toBe(true);
    expect(await h.get('v1', 'Namespace', undefined, tenant)).toBeUndefined();
    const again = await h.command('tenant-delete', { name: tenant });
    expect((await h.succeeded(again)).result).toEqual({ name: tenant, deleted: false });
    const notTenant = await h.command('tenant-delete', { name: other });
    expect((await h.terminal(notTenant)).error).toMatchObject({ code: 'NotFound' });
    expect(await h.get('v1', 'Namespace', undefined, other)).toBeDefined();
  }, 120_000);
});
