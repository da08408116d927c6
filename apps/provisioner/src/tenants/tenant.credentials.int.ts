import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CredentialsResponse } from '@bosun/contracts';
import { ProvisionerHarness } from '../testing/provisioner.harness';

// Credentials are a query that writes: a TokenRequest for the role's ServiceAccount wrapped in
// a kubeconfig with the cluster CA. Used with kubectl, it works in the tenant and nowhere else.
let h: ProvisionerHarness;
let tenant: string;
const dir = mkdtempSync(join(tmpdir(), 'prov-creds-'));

beforeAll(async () => {
  h = await ProvisionerHarness.create();
  await h.start();
  tenant = h.tenantName('prov-creds');
  await h.succeeded(await h.command('tenant-create', { name: tenant }));
}, 60_000);
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await h?.close();
}, 60_000);

const kubeconfigFile = (name: string, text: string): string => {
  const file = join(dir, name);
  writeFileSync(file, text, { mode: 0o600 });
  return file;
};
const kubectlAs = (file: string, args: string[]): Promise<{ ok: boolean; out: string }> =>
  h.kubectl(['--kubeconfig', file, ...args]).then((out) => ({ ok: true, out }), (err: { stderr?: string }) => ({ ok: false, out: err.stderr ?? String(err) }));

describe('provisioner: tenant credentials', () => {
  it('edit (the default): a kubeconfig that lists and creates in the tenant and is refused in kube-system', async () => {
    const before = Date.now();
    const reply = await h.query<CredentialsResponse>('tenant-credentials', { name: tenant, ttlSeconds: 900 });
    if (!reply.ok) throw new Error(JSON.stringify(reply.error));
    const expires = Date.parse(reply.value.expiresAt);
    expect(expires).toBeGreaterThanOrEqual(before + 899_000);
    expect(expires).toBeLessThan(before + 960_000);
    expect(reply.value.kubeconfig).toContain(`namespace: "${tenant}"`);
    const file = kubeconfigFile('edit.yaml', reply.value.kubeconfig);
    expect(await kubectlAs(file, ['get', 'pods'])).toMatchObject({ ok: true });
    expect(await kubectlAs(file, ['create', 'configmap', 'from-token', '--from-literal=a=1'])).toMatchObject({ ok: true });
    const who = await kubectlAs(file, ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']);
    expect(who).toEqual({ ok: true, out: `system:serviceaccount:${tenant}:bosun-edit` });
    const outside = await kubectlAs(file, ['get', 'pods', '-n', 'kube-system']);
    expect(outside.ok).toBe(false);
    expect(outside.out).toContain(`User "system:serviceaccount:${tenant}:bosun-edit" cannot list resource "pods" in API group "" in the namespace "kube-system"`);
    // Nothing stored: no token Secret appears for the account.
    expect((await h.list('v1', 'Secret', tenant)).filter((s) => s.type === 'kubernetes.io/service-account-token')).toEqual([]);
  }, 60_000);

  it('view: its own ServiceAccount and binding, so it reads but cannot write', async () => {
    const reply = await h.query<CredentialsResponse>('tenant-credentials', { name: tenant, ttlSeconds: 600, role: 'view' });
    if (!reply.ok) throw new Error(JSON.stringify(reply.error));
    const file = kubeconfigFile('view.yaml', reply.value.kubeconfig);
    expect(await kubectlAs(file, ['get', 'configmaps'])).toMatchObject({ ok: true });
    const write = await kubectlAs(file, ['create', 'configmap', 'nope', '--from-literal=a=1']);
    expect(write.ok).toBe(false);
    expect(write.out).toContain(`User "system:serviceaccount:${tenant}:bosun-view" cannot create resource "configmaps"`);
    expect(await h.get('rbac.authorization.k8s.io/v1', 'RoleBinding', tenant, 'bosun-sa-view')).toMatchObject({ roleRef: { name: 'view' } });
  }, 60_000);

  it('refuses a short ttl or a bad role naming the field, an unknown tenant as NotFound, and a stranger with Kubernetes\' 403', async () => {
    expect(await h.query('tenant-credentials', { name: tenant, ttlSeconds: 599 })).toMatchObject({
      ok: false, error: { code: 'Invalid', fieldErrors: [{ path: 'ttlSeconds', message: 'ttlSeconds must be at least 600' }] },
    });
    expect(await h.query('tenant-credentials', { name: tenant, ttlSeconds: 600, role: 'root' })).toMatchObject({ ok: false, error: { code: 'Invalid', fieldErrors: [{ path: 'role' }] } });
    expect(await h.query('tenant-credentials', { name: 'prov-nobody', ttlSeconds: 600 })).toEqual({ ok: false, error: { code: 'NotFound', message: 'tenant "prov-nobody" not found' } });
    const stranger = await h.query('tenant-credentials', { name: tenant, ttlSeconds: 600 }, { subject: 'user:prov-stranger', groups: [], via: 'api' });
    expect(stranger).toMatchObject({ ok: false, error: { code: 'Forbidden', message: expect.stringContaining('User "prov-stranger" cannot get resource "namespaces"') } });
  }, 30_000);
});
