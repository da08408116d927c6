import { jetstreamManager, jetstream, AckPolicy } from '@nats-io/jetstream';
import { createLogger } from '@bosun/logging';
import { connectNats, connectRedis, JobQueue } from '@bosun/messaging';
import type { NatsConnection, Redis } from '@bosun/messaging';
import { eventually, testInfra, testNatsAuth, uniqueName } from '@bosun/testing';
import { AutoscalerHarness } from '../testing/autoscaler.harness';

// Queue metrics end to end: a BullMQ queue and a JetStream consumer filled in the test's Redis
// and NATS scale a Deployment of kwok pods up, to zero when drained and back up; a queue
// that is not there is a failed metric (ScalingActive=False with the reason), never a 0.
let h: AutoscalerHarness;
let ns: string;
let redis: Redis;
/** A workload on Bosun's NATS: its queues are in the workloads' account (ADR 0005), which the autoscaler reads as queue-reader. */
let workload: NatsConnection;
const queues: JobQueue<{ operationId: string }>[] = [];

beforeAll(async () => {
  h = await AutoscalerHarness.create();
  await h.start();
  ns = await h.namespace('as-queues');
  redis = connectRedis(testInfra().redisUrl, 'autoscaler-int', createLogger('test', 'silent'));
  workload = await connectNats(testInfra().natsUrl, 'autoscaler-int-workload', createLogger('test', 'silent'), testNatsAuth('apps'));
}, 60_000);
afterAll(async () => {
  await h?.close();
  for (const q of queues) await q.queue.obliterate({ force: true }).catch(() => undefined);
  for (const q of queues) await q.close();
  redis?.disconnect();
  await workload?.drain();
}, 60_000);

const quickDown = { scaleDown: { stabilizationWindowSeconds: 0 }, scaleUp: { stabilizationWindowSeconds: 0 } };
/** One atomic batch, so the early evaluation its events wake sees the whole backlog (not the first few jobs of it). */
const fill = async (q: JobQueue<{ operationId: string }>, n: number): Promise<void> => {
  await q.queue.addBulk(Array.from({ length: n }, () => ({ name: 'work', data: { operationId: uniqueName('job') } })));
};

describe('autoscaler: Queue metrics (real Redis, NATS and Kubernetes)', () => {
  it('BullMQ: a backlog scales workers up, a drained queue scales them to zero, new work from zero scales up within ~2 s', async () => {
    const name = uniqueName('bq');
    const q = new JobQueue<{ operationId: string }>(name, redis);
    queues.push(q);
    await q.queue.waitUntilReady();
    await h.deployment(ns, 'workers', { replicas: 1 });
    const as = await h.createAutoscaler({
      target: { kind: 'Deployment', namespace: ns, name: 'workers' }, minReplicas: 0, maxReplicas: 5, intervalSeconds: 2, behavior: quickDown,
      metrics: [{ name: 'jobs', type: 'Queue', queue: { kind: 'bullmq', name }, target: { type: 'AverageValue', value: 5 } }],
    });
    await h.waitReplicas(ns, 'workers', 0, 15_000);
    expect((await h.get(ns, 'workers'))?.metadata.annotations?.['autoscaling.bosun.dev/managed-by']).toBe(as.id);

    // 12 jobs / 5 per replica → 3; the queue's own 'added' event wakes the evaluation (interval is 2 s).
    const t0 = Date.now();
    await fill(q, 12);
    await h.waitReplicas(ns, 'workers', 3, 10_000);
    expect(Date.now() - t0).toBeLessThan(4000);
    const up = (await h.decisions(as.id, 1))[0];
    expect(up).toMatchObject({ currentReplicas: 0, desiredReplicas: 3, perMetric: [{ name: 'jobs', current: '12', proposal: 3 }], explanation: expect.stringMatching(/^New size: 3; reason: /) });
    expect(h.scaled).toContainEqual(expect.objectContaining({ autoscalerId: as.id, from: 0, to: 3, actor: 'user:admin' }));

    await q.queue.drain();
    await h.waitReplicas(ns, 'workers', 0, 15_000);
    await fill(q, 7);
    await h.waitReplicas(ns, 'workers', 2, 10_000);
    const view = await h.until(as.id, 'at 2', (v) => v.currentReplicas === 2);
    expect(view).toMatchObject({ mode: 'managed', minReplicas: 0, maxReplicas: 5, desiredReplicas: 2, metrics: [{ name: 'jobs', current: '7' }], lastScaleTime: expect.any(String) });
    expect(view.conditions.map((c) => `${c.type}=${c.status}`)).toEqual(['AbleToScale=True', 'ScalingActive=True', 'ScalingLimited=False']);
  }, 90_000);

  it('JetStream: num_pending + num_ack_pending scales up, to zero when consumed, and back', async () => {
    const stream = uniqueName('AS').replace(/-/g, '_').toUpperCase();
    const subject = `astest.${stream}`;
    const jsm = await jetstreamManager(workload);
    await jsm.streams.add({ name: stream, subjects: [subject] });
    await jsm.consumers.add(stream, { durable_name: 'workers', ack_policy: AckPolicy.Explicit });
    try {
      await h.deployment(ns, 'js-workers', { replicas: 2 });
      const as = await h.createAutoscaler({
        target: { kind: 'Deployment', namespace: ns, name: 'js-workers' }, minReplicas: 0, maxReplicas: 4, intervalSeconds: 1, behavior: quickDown,
        metrics: [{ name: 'msgs', type: 'Queue', queue: { kind: 'jetstream', stream, consumer: 'workers' }, target: { type: 'AverageValue', value: 10 } }],
      });
      await h.waitReplicas(ns, 'js-workers', 0, 15_000);
      const js = jetstream(workload);
      for (let i = 0; i < 25; i++) await js.publish(subject, `m${i}`);
      await h.waitReplicas(ns, 'js-workers', 3, 15_000);
      expect((await h.decisions(as.id, 1))[0].perMetric[0]).toMatchObject({ name: 'msgs', current: '25', proposal: 3 });
      // Consume and ack all: the backlog goes to 0.
      const consumer = await js.consumers.get(stream, 'workers');
      const batch = await consumer.fetch({ max_messages: 25, expires: 2000 });
      for await (const m of batch) m.ack();
      await h.waitReplicas(ns, 'js-workers', 0, 15_000);
      for (let i = 0; i < 5; i++) await js.publish(subject, `n${i}`);
      await h.waitReplicas(ns, 'js-workers', 1, 15_000);
    } finally {
      await jsm.streams.delete(stream).catch(() => undefined);
    }
  }, 90_000);

  it('JetStream from zero: the stream\'s own publishes wake an evaluation, long before the next interval', async () => {
    const stream = uniqueName('ASW').replace(/-/g, '_').toUpperCase();
    const subject = `astest.${stream}`;
    const jsm = await jetstreamManager(workload);
    await jsm.streams.add({ name: stream, subjects: [subject] });
    await jsm.consumers.add(stream, { durable_name: 'workers', ack_policy: AckPolicy.Explicit });
    try {
      await h.deployment(ns, 'js-wake', { replicas: 0 });
      const as = await h.createAutoscaler({
        target: { kind: 'Deployment', namespace: ns, name: 'js-wake' }, minReplicas: 0, maxReplicas: 4, intervalSeconds: 60,
        metrics: [{ name: 'msgs', type: 'Queue', queue: { kind: 'jetstream', stream, consumer: 'workers' }, target: { type: 'AverageValue', value: 10 } }],
      });
      await eventually(async () => ((await h.decisions(as.id, 1)).length ? true : undefined), 'the first evaluation (at zero)', 20_000);
      // The watches follow the stored autoscalers every 5 s: publish one message a second until one wakes it.
      const js = jetstream(workload);
      const published = Date.now();
      let i = 0;
      await eventually(async () => {
        await js.publish(subject, `w${i++}`);
        return (await h.get(ns, 'js-wake'))?.spec.replicas >= 1 ? true : undefined;
      }, 'woken from zero', 30_000, 1000);
      expect(Date.now() - published).toBeLessThan(20_000); // the interval is 60 s
    } finally {
      await jsm.streams.delete(stream).catch(() => undefined);
    }
  }, 90_000);

  it('a BullMQ queue or a JetStream consumer that does not exist is a failed metric: ScalingActive=False with the reason, the count kept', async () => {
    await h.deployment(ns, 'orphans', { replicas: 2 });
    const missing = uniqueName('no-such-queue');
    const as = await h.createAutoscaler({
      target: { kind: 'Deployment', namespace: ns, name: 'orphans' }, minReplicas: 0, maxReplicas: 4, intervalSeconds: 1,
      metrics: [{ name: 'jobs', type: 'Queue', queue: { kind: 'bullmq', name: missing }, target: { type: 'AverageValue', value: 5 } }],
    });
    const view = await h.until(as.id, 'ScalingActive=False', (v) => v.conditions.some((c) => c.type === 'ScalingActive' && c.status === 'False'));
    const active = view.conditions.find((c) => c.type === 'ScalingActive');
    expect(active).toMatchObject({ status: 'False', reason: 'FailedGetExternalMetric', message: expect.stringContaining(`BullMQ queue "${missing}" not found`) });
    expect(await h.replicas(ns, 'orphans')).toBe(2);
    const decision = (await h.decisions(as.id, 1))[0];
    expect(decision.perMetric[0]).toMatchObject({ name: 'jobs', error: expect.stringContaining('not found') });
    expect(decision.perMetric[0].current).toBeUndefined();

    await h.deployment(ns, 'orphans-js', { replicas: 1 });
    const js = await h.createAutoscaler({
      target: { kind: 'Deployment', namespace: ns, name: 'orphans-js' }, minReplicas: 0, maxReplicas: 4, intervalSeconds: 1,
      metrics: [{ name: 'msgs', type: 'Queue', queue: { kind: 'jetstream', stream: 'NO_SUCH_STREAM_AS', consumer: 'nobody' }, target: { type: 'AverageValue', value: 5 } }],
    });
    const jsView = await h.until(js.id, 'ScalingActive=False', (v) => v.conditions.some((c) => c.type === 'ScalingActive' && c.status === 'False'));
    expect(jsView.conditions.find((c) => c.type === 'ScalingActive')?.message).toMatch(/JetStream stream "NO_SUCH_STREAM_AS" not found/);
    expect(await h.replicas(ns, 'orphans-js')).toBe(1);
  }, 60_000);
});
