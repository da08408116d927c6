import { AUTOSCALER_MANAGED_BY_ANNOTATION, AUTOSCALER_QUERIES } from '@bosun/contracts';
// Two services end to end, in-process: the real deployer and the real autoscaler (ADR 0004: the
// two meet only on the object), each on its own harness.
import { DeployerHarness } from '../../apps/deployer/src/testing/deployer.harness';
import { AutoscalerHarness } from '../../apps/autoscaler/src/testing/autoscaler.harness';

// The seed's replicas trap (004:4303-4321): with an autoscaler managing a Deployment, a deploy
// that says `replicas: 2` must not reset the count the autoscaler chose. The autoscaler's
// interval is an hour, so after its first evaluation nothing but the deploys touches the
// count: what we read afterwards is what the deploys left.
let d: DeployerHarness;
let a: AutoscalerHarness;
let ns: string;

beforeAll(async () => {
  d = await DeployerHarness.create();
  await d.start();
  a = await AutoscalerHarness.create();
  await a.start();
  ns = await a.namespace('as-handoff');
}, 60_000);
afterAll(async () => {
  await a?.close();
  await d?.close();
}, 60_000);

describe('autoscaler + deployer: the replicas hand-off (real NATS, Redis and Kubernetes)', () => {
  it('deploy, autoscale to 5, deploy again with replicas 2 and set-image: still 5; after delete, deploys own the count again', async () => {
    const first = await d.command('deploy', { namespace: ns, name: 'web', image: 'nginx:1.27', replicas: 2 });
    await d.succeeded(first);
    const url = await a.endpoint(() => 50);
    const as = await a.createAutoscaler({
      target: { kind: 'Deployment', namespace: ns, name: 'web' }, minReplicas: 1, maxReplicas: 5, intervalSeconds: 3600, behavior: { scaleUp: { policies: [{ type: 'Pods', value: 10, periodSeconds: 15 }] } },
      metrics: [{ name: 'load', type: 'External', url, target: { type: 'AverageValue', value: 10 } }],
    });
    await a.waitReplicas(ns, 'web', 5);
    expect((await a.get(ns, 'web'))?.metadata.annotations?.[AUTOSCALER_MANAGED_BY_ANNOTATION]).toBe(as.id);

    const again = await d.command('deploy', { namespace: ns, name: 'web', image: 'nginx:1.28', replicas: 2 });
    await d.succeeded(again);
    expect(await a.replicas(ns, 'web')).toBe(5);
    const image = await d.command('set-image', { namespace: ns, name: 'web', image: 'nginx:1.29' });
    await d.succeeded(image);
    const live = await a.get(ns, 'web');
    expect(live?.spec.replicas).toBe(5);
    expect(live?.spec.template.spec.containers[0].image).toBe('nginx:1.29');
    expect((await a.decisions(as.id)).length).toBe(1);

    await a.ask(AUTOSCALER_QUERIES.delete, { id: as.id });
    expect(await a.replicas(ns, 'web')).toBe(5);
    const after = await d.command('deploy', { namespace: ns, name: 'web', image: 'nginx:1.29', replicas: 2 });
    await d.succeeded(after);
    expect(await a.replicas(ns, 'web')).toBe(2);
  }, 180_000);
});
