import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually, testCluster, uniqueName } from '@bosun/testing';
import { api, startStack } from '../support/stack';
import type { Stack } from '../support/stack';

jest.setTimeout(150_000);

/** Autoscaling as a user calls it: HTTP → gateway → autoscaler → the scale subresource. */
describe('autoscaling end to end (HTTP → gateway → autoscaler → Kubernetes)', () => {
  let stack: Stack;
  let call: ReturnType<typeof api>;
  let metric: Server;
  const load = 40;
  const ns = uniqueName('e2e-as');
  const cluster = testCluster();
  const kubectl = (...args: string[]): string => execFileSync(cluster.kubectl, ['--kubeconfig', cluster.kubeconfig, ...args], { encoding: 'utf8' });

  beforeAll(async () => {
    metric = createServer((_req, res) => res.end(JSON.stringify({ value: load })));
    await new Promise<void>((r) => metric.listen(0, '127.0.0.1', r));
    stack = await startStack(['gateway', 'autoscaler']);
    call = api(stack);
    kubectl('create', 'namespace', ns);
    kubectl('-n', ns, 'create', 'deployment', 'workers', '--image=nginx:1.27', '--replicas=1');
    await eventually(async () => ((await call('GET', '/v1/status')).body.services?.find((s: any) => s.name === 'autoscaler')?.ready ? true : undefined), 'autoscaler ready', 60_000, 250);
  });
  afterAll(async () => {
    await stack?.stop();
    metric?.close();
    try { kubectl('delete', 'namespace', ns, '--wait=false'); } catch { /* already gone */ }
  });

  it('POST /v1/autoscaling/recommendation: the seed\'s walkthrough, 1 replica at 305 % of a 50 % target → 7 (4 this step: the legacy max(2×1, 4) limit)', async () => {
    const r = await call('POST', '/v1/autoscaling/recommendation', {
      currentReplicas: 1, minReplicas: 1, maxReplicas: 10,
      metrics: [{ name: 'cpu', type: 'Resource', resource: 'cpu', target: { type: 'Utilization', value: 50 }, pods: [{ name: 'p0', value: 305 }] }],
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ recommendation: 7, desiredReplicas: 4, limitedBy: 'scaleUpPolicy', explanation: expect.stringContaining('New size: 4') });
    const bad = await call('POST', '/v1/autoscaling/recommendation', { currentReplicas: -1, minReplicas: 5, maxReplicas: 2, metrics: [] });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: any) => e.path)).toEqual(expect.arrayContaining(['currentReplicas']));
  });

  it('POST /v1/autoscaling/proportional: the kube-dns defaults', async () => {
    expect((await call('POST', '/v1/autoscaling/proportional', { nodes: 3, cores: 12, linear: { coresPerReplica: 256, nodesPerReplica: 16, min: 1 } })).body).toEqual({ replicas: 1 });
  });

  it('a managed autoscaler on an External metric scales the Deployment, explains each decision, simulates, and is deleted', async () => {
    const url = `http://127.0.0.1:${(metric.address() as AddressInfo).port}/load`;
    const created = await call('POST', '/v1/autoscalers', {
      target: { kind: 'Deployment', namespace: ns, name: 'workers' }, minReplicas: 1, maxReplicas: 5, intervalSeconds: 1,
      metrics: [{ name: 'load', type: 'External', url, target: { type: 'AverageValue', value: 10 } }],
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    await eventually(async () => (JSON.parse(kubectl('-n', ns, 'get', 'deployment', 'workers', '-o', 'json')).spec.replicas === 4 ? true : undefined), 'scaled to 4', 60_000, 500);
    const view = (await call('GET', `/v1/autoscalers/${id}`)).body;
    expect(view).toMatchObject({ id, mode: 'managed', minReplicas: 1, maxReplicas: 5 });
    const decisions = (await call('GET', `/v1/autoscalers/${id}/decisions?limit=5`)).body.items;
    expect(decisions[0]).toMatchObject({ desiredReplicas: 4, explanation: expect.any(String), perMetric: [expect.objectContaining({ name: 'load' })] });
    const sim = await call('POST', `/v1/autoscalers/${id}/simulate`, { maxReplicas: 2 });
    expect(sim.status).toBe(200);
    expect(sim.body.items.some((i: any) => i.simulated <= 2)).toBe(true);
    expect((await call('GET', '/v1/autoscalers')).body.items.map((a: any) => a.id)).toContain(id);
    expect((await call('DELETE', `/v1/autoscalers/${id}`)).status).toBe(200);
    expect((await call('GET', `/v1/autoscalers/${id}`)).status).toBe(404);
  });
});
