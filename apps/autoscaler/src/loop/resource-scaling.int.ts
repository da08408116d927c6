import type { Json } from '../testing/autoscaler.harness';
import { AutoscalerHarness } from '../testing/autoscaler.harness';

// A CPU autoscaler against the real metrics-server: kwok reports each pod's usage from its
// `kwok.x-k8s.io/usage-cpu` annotation, metrics-server serves it as PodMetrics (listed once
// per namespace per tick), the loop scales up, and down once the stabilization window passed.
let h: AutoscalerHarness;
let ns: string;
beforeAll(async () => {
  h = await AutoscalerHarness.create();
  await h.start();
  ns = await h.namespace('as-cpu');
}, 60_000);
afterAll(async () => h?.close(), 60_000);

const setUsage = async (usage: string): Promise<void> => {
  const pods = await h.admin.list<Json>({ apiVersion: 'v1', kind: 'Pod', namespace: ns, labelSelector: 'app=cpu' });
  for (const p of pods) await h.admin.patch({ apiVersion: 'v1', kind: 'Pod', namespace: ns, name: p.metadata.name }, { metadata: { annotations: { 'kwok.x-k8s.io/usage-cpu': usage } } }, 'merge');
};

describe('autoscaler: Resource metrics through metrics-server (real Kubernetes)', () => {
  it('300m used of 100m requested (300 % vs 50 %) scales up to max; 10m scales down after the window', async () => {
    await h.deployment(ns, 'cpu', { replicas: 1, cpuRequest: '100m', cpuUsage: '300m' });
    const as = await h.createAutoscaler({
      target: { kind: 'Deployment', namespace: ns, name: 'cpu' }, minReplicas: 1, maxReplicas: 4, intervalSeconds: 2,
      metrics: [{ name: 'cpu', type: 'Resource', resource: 'cpu', target: { type: 'Utilization', value: 50 } }],
      behavior: { scaleUp: { policies: [{ type: 'Pods', value: 10, periodSeconds: 15 }] }, scaleDown: { stabilizationWindowSeconds: 6 } },
    });
    // metrics-server needs two scrapes (10 s apart) before a new pod has a CPU rate.
    await h.waitReplicas(ns, 'cpu', 4, 75_000);
    const up = (await h.decisions(as.id)).find((d) => d.desiredReplicas === 4 && d.currentReplicas === 1);
    // kwok's rate is 300m give or take a few nano-cores (rounded up to 301 % as upstream's MilliValue does): 6 or 7.
    expect(up).toMatchObject({ limitedBy: 'maxReplicas', perMetric: [{ name: 'cpu', current: expect.stringMatching(/^30[01]$/) }], explanation: 'New size: 4; reason: cpu resource utilization (percentage of request) above target' });
    expect(up?.recommendation).toBeGreaterThanOrEqual(6);

    // Every pod reported (the new ones too), then the load drops.
    await h.until(as.id, 'all four pods measured', (v) => v.currentReplicas === 4, 10_000);
    await setUsage('10m');
    const t0 = Date.now();
    await h.waitReplicas(ns, 'cpu', 1, 90_000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(5000);
    const items = await h.decisions(as.id);
    expect(items.some((d) => d.limitedBy === 'stabilization' && d.recommendation < d.desiredReplicas)).toBe(true);
    expect(items[0]).toMatchObject({ currentReplicas: 4, desiredReplicas: 1, explanation: expect.stringMatching(/^New size: 1; reason: All metrics below target/) });
  }, 180_000);
});
