import type { INestApplication } from '@nestjs/common';
import { AutoscalerStore } from '../autoscalers/autoscaler.store';
import { AutoscalerHarness } from '../testing/autoscaler.harness';
import { EvaluationTick } from './evaluation.tick';
import { TickScheduler } from './tick.scheduler';

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
  it('two replicas, then a rolling restart: no slot lost, none evaluated twice; after a stop and start the clock resumes', async () => {
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
    const rolled = await slots(c, as.id);
    expect(rolled.length).toBeGreaterThanOrEqual(9);
    expect(new Set(rolled).size).toBe(rolled.length); // none doubled
    expect(rolled.slice(1).map((s, i) => s - rolled[i]).filter((g) => g !== 1000)).toEqual([]); // none lost

    // Nobody runs for a moment: the slot due meanwhile waits in Redis and is evaluated once by
    // the next replica (late); slots that fall wholly inside the outage are not made up.
    const stoppedAt = Date.now();
    await h.stop(c);
    const d = await h.start();
    const bootMs = Date.now() - stoppedAt;
    await sleep(4000);
    const seen = await slots(d, as.id);
    expect(new Set(seen).size).toBe(seen.length);
    const after = seen.filter((s) => s > rolled[rolled.length - 1]);
    expect(after.length).toBeGreaterThanOrEqual(3);
    expect(after[0] - rolled[rolled.length - 1]).toBeLessThanOrEqual(1000 * Math.ceil(bootMs / 1000 + 1));
    expect(after.slice(1).map((s, i) => s - after[i]).filter((g) => g !== 1000)).toEqual([]);
    // A job for a slot already evaluated (redelivered after a crash, say) changes and records nothing.
    expect(await d.get(EvaluationTick).run(as.id, seen[0])).toBe('duplicate');
    const decisions = await h.decisions(as.id);
    expect(decisions.every((x) => x.desiredReplicas === 2)).toBe(true);
  }, 60_000);

  it('a managed autoscaler whose scheduler was lost gets it back when a replica boots', async () => {
    const app = h.service ?? (await h.start());
    await h.deployment(ns, 'lost', { replicas: 1 });
    const url = await h.endpoint(() => 5);
    const as = await h.createAutoscaler({
      target: { kind: 'Deployment', namespace: ns, name: 'lost' }, minReplicas: 1, maxReplicas: 3, intervalSeconds: 1,
      metrics: [{ name: 'load', type: 'External', url, target: { type: 'AverageValue', value: 10 } }],
    });
    await app.get(TickScheduler).unschedule(as.id);
    await h.stop(app);
    const before = (await slots(await h.start(), as.id)).length;
    await sleep(3500);
    expect((await slots(h.service!, as.id)).length).toBeGreaterThanOrEqual(before + 2);
  }, 30_000);
});
