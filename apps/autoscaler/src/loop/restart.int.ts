import type { INestApplication } from '@nestjs/common';
import { AutoscalerStore } from '../autoscalers/autoscaler.store';
import { AutoscalerHarness } from '../testing/autoscaler.harness';
import { EvaluationTick } from './evaluation.tick';

// The clock is a BullMQ job scheduler in Redis, not a timer in a process: replicas share it,
// a restart finds it, and each interval's slot is evaluated exactly once (a slot marker
// guards against a job run twice). Counted from the stored decisions' slots.
let h: AutoscalerHarness;
let ns: string;
beforeAll(async () => {
  h = await AutoscalerHarness.create();
  ns = await h.namespace('as-restart');
}, 60_000);
afterAll(async () => h?.close(), 60_000);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const slots = async (app: INestApplication, id: string): Promise<number[]> =>
  (await app.get(AutoscalerStore).decisions(id)).flatMap((d) => (d.slot === undefined ? [] : [d.slot])).sort((a, b) => a - b);

describe('autoscaler: restarts and replicas (real Redis, NATS and Kubernetes)', () => {
  it('two replicas, then a rolling restart, then a stop and start: no slot lost, none evaluated twice', async () => {
    const a = await h.start();
    const b = await h.start();
    await h.deployment(ns, 'steady', { replicas: 2 });
    const url = await h.endpoint(() => 20);
    const as = await h.createAutoscaler({
      target: { kind: 'Deployment', namespace: ns, name: 'steady' }, minReplicas: 1, maxReplicas: 4, intervalSeconds: 1,
      metrics: [{ name: 'load', type: 'External', url, target: { type: 'AverageValue', value: 10 } }],
    });
    await sleep(4000);
    await h.stop(a); // rolling: b keeps the clock
    await sleep(3000);
    const c = await h.start();
    await sleep(1000);
    await h.stop(b);
    await sleep(3000);
    await h.stop(c); // nobody for a moment: the scheduler's next job waits in Redis
    const d = await h.start();
    await sleep(4000);

    const seen = await slots(d, as.id);
    expect(seen.length).toBeGreaterThanOrEqual(12);
    expect(new Set(seen).size).toBe(seen.length); // none doubled
    const gaps = seen.slice(1).map((s, i) => s - seen[i]);
    expect(gaps.filter((g) => g !== 1000)).toEqual([]); // none lost
    // A job for a slot already evaluated (redelivered after a crash, say) changes and records nothing.
    expect(await d.get(EvaluationTick).run(as.id, seen[0])).toBe('duplicate');
    const decisions = await h.decisions(as.id);
    expect(decisions.every((x) => x.desiredReplicas === 2)).toBe(true);
  }, 60_000);
});
