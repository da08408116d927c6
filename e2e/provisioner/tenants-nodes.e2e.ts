import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, testCluster, uniqueName } from '@bosun/testing';
import { api, finishOperation, startStack } from '../support/stack';
import type { Stack } from '../support/stack';

jest.setTimeout(150_000);

/** Tenants and nodes as a user calls them: HTTP → gateway → provisioner → the local control plane. */
describe('tenants and nodes end to end (HTTP → gateway → provisioner → Kubernetes)', () => {
  let stack: Stack;
  let call: ReturnType<typeof api>;
  const tenant = uniqueName('e2e-tenant');
  const createdNodes: string[] = [];
  const cluster = testCluster();
  const kubectl = (...args: string[]): string => execFileSync(cluster.kubectl, ['--kubeconfig', cluster.kubeconfig, ...args], { encoding: 'utf8' });

  const finish = (opId: string): Promise<any> => finishOperation(call, opId, 90_000);

  beforeAll(async () => {
    stack = await startStack(['gateway', 'provisioner']);
    call = api(stack);
    await eventually(async () => ((await call('GET', '/v1/status')).body.services?.find((s: any) => s.name === 'provisioner')?.ready ? true : undefined), 'provisioner ready', 60_000, 250);
  });
  afterAll(async () => {
    await stack?.stop();
    try { kubectl('delete', 'namespace', tenant, '--wait=false'); } catch { /* already gone */ }
    for (const n of createdNodes) { try { kubectl('delete', 'node', n, '--wait=false'); } catch { /* already gone */ } }
  });

  it('POST /v1/tenants → an operation that leaves the namespace, quota and limits in the cluster; GET shows hard, used, headroom', async () => {
    const r = await call('POST', '/v1/tenants', { name: tenant, quota: { cpu: '2', memory: '4Gi', pods: 10 }, limits: { default: { cpu: '500m', memory: '512Mi' } }, members: [{ subject: 'user:ann', role: 'edit' }] });
    expect(r.status).toBe(202);
    expect((await finish(r.body.id)).status).toBe('succeeded');
    const quota = JSON.parse(kubectl('-n', tenant, 'get', 'resourcequota', '-o', 'json')).items[0];
    expect(quota.spec.hard).toMatchObject({ pods: '10' });
    expect(JSON.parse(kubectl('-n', tenant, 'get', 'limitrange', '-o', 'json')).items).toHaveLength(1);
    const view = (await call('GET', `/v1/tenants/${tenant}`)).body;
    expect(view).toMatchObject({ name: tenant, quota: { hard: expect.objectContaining({ pods: '10' }), used: expect.any(Object), headroom: expect.any(Object) } });
    expect((await call('GET', '/v1/tenants')).body.items.map((t: any) => t.name)).toContain(tenant);
  });

  it('POST /v1/tenants/{name}/credentials → 201 with a kubeconfig that works in the tenant and not in kube-system', async () => {
    const r = await call('POST', `/v1/tenants/${tenant}/credentials`, { ttlSeconds: 600 });
    expect(r.status).toBe(201);
    expect(Date.parse(r.body.expiresAt)).toBeGreaterThan(Date.now());
    const file = join(mkdtempSync(join(tmpdir(), 'bosun-cred-')), 'kubeconfig');
    writeFileSync(file, r.body.kubeconfig);
    const as = (...args: string[]): string => execFileSync(cluster.kubectl, ['--kubeconfig', file, ...args], { encoding: 'utf8' });
    expect(as('-n', tenant, 'auth', 'can-i', 'list', 'pods').trim()).toBe('yes');
    expect(() => as('-n', 'kube-system', 'get', 'pods')).toThrow(/forbidden/i);
    expect((await call('POST', `/v1/tenants/${tenant}/credentials`, { ttlSeconds: 599 })).status).toBe(422);
  });

  it('GET /v1/nodes; POST /v1/nodes/join-tokens → 201 with the kubeadm join command; cordon and uncordon as operations', async () => {
    const nodes = (await call('GET', '/v1/nodes')).body.items;
    expect(nodes.map((n: any) => n.name)).toEqual(expect.arrayContaining(cluster.nodes));
    const join = await call('POST', '/v1/nodes/join-tokens', { ttlSeconds: 3600 });
    expect(join.status).toBe(201);
    expect(join.body.token).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    expect(join.body.joinCommand).toMatch(new RegExp(`^kubeadm join \\S+ --token ${join.body.token} --discovery-token-ca-cert-hash sha256:[0-9a-f]{64}$`));
    const node = cluster.nodes[2];
    try {
      expect((await finish((await call('POST', `/v1/nodes/${node}/cordon`)).body.id)).status).toBe('succeeded');
      expect(JSON.parse(kubectl('get', 'node', node, '-o', 'json')).spec.unschedulable).toBe(true);
    } finally {
      expect((await finish((await call('POST', `/v1/nodes/${node}/uncordon`)).body.id)).status).toBe('succeeded');
    }
    expect(JSON.parse(kubectl('get', 'node', node, '-o', 'json')).spec.unschedulable).toBeFalsy();
  });

  it('drain ?dryRun=true answers 200 with the plan and changes nothing', async () => {
    // A kwok node of this test's own: the shared nodes carry pods of other tests, some in namespaces being deleted.
    const node = uniqueName('e2e-drain');
    const manifest = { apiVersion: 'v1', kind: 'Node', metadata: { name: node, annotations: { 'kwok.x-k8s.io/node': 'fake' }, labels: { type: 'kwok', 'kubernetes.io/hostname': node } }, spec: { taints: [{ key: 'bosun.dev/e2e', value: 'drain', effect: 'NoSchedule' }] } };
    const file = join(mkdtempSync(join(tmpdir(), 'bosun-node-')), 'node.json');
    writeFileSync(file, JSON.stringify(manifest));
    kubectl('apply', '-f', file);
    createdNodes.push(node);
    const plan = await call('POST', `/v1/nodes/${node}/drain?dryRun=true`, {});
    expect(plan.status).toBe(200);
    expect(plan.body).toMatchObject({ evict: expect.any(Array), skip: expect.any(Array), refuse: expect.any(Array), blocked: expect.any(Array) });
    expect(JSON.parse(kubectl('get', 'node', node, '-o', 'json')).spec.unschedulable).toBeFalsy();
  });

  it('bad input is a 422 naming the field; an unknown tenant is 404', async () => {
    const bad = await call('POST', '/v1/tenants', { name: 'kube-evil' });
    expect([422]).toContain(bad.status);
    const quota = await call('POST', '/v1/tenants', { name: uniqueName('t'), quota: { cpu: 'lots' } });
    expect(quota.status).toBe(422);
    expect(quota.body.errors[0].path).toBe('quota.cpu');
    expect((await call('GET', '/v1/tenants/no-such-tenant')).status).toBe(404);
  });
});
