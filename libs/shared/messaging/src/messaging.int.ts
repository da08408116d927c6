import { z } from 'zod';
import { jetstream } from '@nats-io/jetstream';
import { operationEventSubject, STREAMS } from '@bosun/contracts';
import { createLogger } from '@bosun/logging';
import { eventually, infra, testInfra, testNatsAuth, uniqueName } from '@bosun/testing';
import { connectNats, decodeJson, DurableConsumer, ensureStreams, JetStreamPublisher, JobQueue, JobWorker, connectRedis, OperationReporter } from './index';
import type { NatsConnection, Redis } from './index';

const logger = createLogger('test', 'silent');
const envelope = (operationId: string) => ({
  operationId, kind: 'test.thing', actor: { subject: 'user:t', groups: [], via: 'api' as const },
  target: { cluster: 'default', kind: 'Thing' }, payload: { n: 1 }, issuedAt: new Date().toISOString(),
});
const schema = z.object({ operationId: z.string() }).passthrough();

describe('JetStream commands (real NATS)', () => {
  let nc: NatsConnection;
  let pub: JetStreamPublisher;
  const consumers: DurableConsumer<unknown>[] = [];

  beforeAll(async () => {
    // The primitives, not Bosun's permissions (nats-auth.int.ts holds those): in the workloads'
    // account, where the test may make any consumer, away from Bosun's own streams.
    nc = await connectNats(testInfra().natsUrl, 'messaging-int', logger, testNatsAuth('apps'));
    await ensureStreams(nc);
    pub = new JetStreamPublisher(nc);
  });
  afterAll(async () => {
    for (const c of consumers) await c.stop();
    await nc.drain();
  });

  const consumer = (subject: string, handler: (m: unknown) => Promise<void>, extra: Partial<ConstructorParameters<typeof DurableConsumer>[2]> = {}) => {
    const c = new DurableConsumer(nc, pub, { stream: STREAMS.commands.name, durable: uniqueName('d'), filterSubjects: [subject], schema, handler, maxDeliver: 3, ...extra }, logger);
    consumers.push(c as DurableConsumer<unknown>);
    return c;
  };

  it('delivers a command published twice with the same operation id once', async () => {
    const subject = `bosun.cmd.${uniqueName('msgtest')}.${uniqueName('dup')}.v1`;
    const seen: string[] = [];
    await consumer(subject, async (m) => void seen.push((m as { operationId: string }).operationId)).start();
    const a = await pub.command(subject, envelope('op_dup1'));
    const b = await pub.command(subject, envelope('op_dup1'));
    expect(b.duplicate).toBe(true);
    expect(a.seq).toBe(b.seq);
    await pub.command(subject, envelope('op_dup2'));
    await eventually(() => (seen.length >= 2 ? true : undefined), 'two deliveries');
    await new Promise((r) => setTimeout(r, 300));
    expect(seen).toEqual(['op_dup1', 'op_dup2']);
  });

  it('handles a command published while its consumer was down once it comes back', async () => {
    const subject = `bosun.cmd.${uniqueName('msgtest')}.${uniqueName('late')}.v1`;
    const seen: string[] = [];
    const durable = uniqueName('late');
    // A pull still pending from the dead connection may take the message: JetStream redelivers it after the ack wait.
    const options = { stream: STREAMS.commands.name, durable, filterSubjects: [subject], schema, maxDeliver: 3, ackWaitMs: 2000, handler: async (m: unknown) => void seen.push((m as { operationId: string }).operationId) };
    // The "service" runs on its own connection and dies with it, like a crashed process.
    const serviceNc = await connectNats(testInfra().natsUrl, 'late-service', logger, testNatsAuth('apps'));
    const first = new DurableConsumer(serviceNc, new JetStreamPublisher(serviceNc), options, logger);
    await first.start();
    await first.stop();
    await serviceNc.close();
    await pub.command(subject, envelope('op_late'));
    await new Promise((r) => setTimeout(r, 300));
    expect(seen).toEqual([]);
    const again = new DurableConsumer(nc, pub, options, logger);
    consumers.push(again as DurableConsumer<unknown>);
    await again.start();
    await eventually(() => (seen.includes('op_late') ? true : undefined), 'late delivery', 25_000);
    expect(seen).toEqual(['op_late']);
  }, 40_000);

  it('dead-letters a command whose handler keeps failing, after maxDeliver attempts, and fails its operation', async () => {
    const subject = `bosun.cmd.${uniqueName('msgtest')}.${uniqueName('poison')}.v1`;
    let attempts = 0;
    const deadLettered: string[] = [];
    const reporter = new OperationReporter(pub, 'deployer');
    await consumer(subject, async () => { attempts++; throw new Error('boom'); }, {
      onDeadLetter: async (raw, reason) => {
        const id = (raw as { operationId: string }).operationId;
        deadLettered.push(reason);
        await reporter.failed(id, { code: 'DeadLettered', message: reason });
      },
    }).start();
    const failedEvents: unknown[] = [];
    const sub = nc.subscribe(operationEventSubject('deployer', 'failed'), { callback: (_e, m) => { failedEvents.push(decodeJson(m.data)); } });
    await pub.command(subject, envelope('op_poison'));
    await eventually(() => (deadLettered.length ? true : undefined), 'dead letter', 15_000);
    expect(attempts).toBe(3);
    expect(deadLettered).toEqual(['boom']);
    await eventually(() => (failedEvents.length ? true : undefined), 'operation failed event');
    expect(failedEvents[0]).toMatchObject({ operationId: 'op_poison', error: { code: 'DeadLettered', message: 'boom' } });
    sub.unsubscribe();
    const dlq = await jetstream(nc).streams.get(STREAMS.deadLetters.name);
    const last = await dlq.getMessage({ last_by_subj: `bosun.dlq.${subject.replace('bosun.cmd.', '')}` });
    expect(last?.json()).toMatchObject({ reason: 'boom', attempts: 3, message: { operationId: 'op_poison' } });
  });

  it('dead-letters an invalid message without calling the handler', async () => {
    const subject = `bosun.cmd.${uniqueName('msgtest')}.${uniqueName('invalid')}.v1`;
    const reasons: string[] = [];
    let called = false;
    await consumer(subject, async () => { called = true; }, { onDeadLetter: async (_r, reason) => void reasons.push(reason) }).start();
    await pub.event(subject, { nope: true });
    await eventually(() => (reasons.length ? true : undefined), 'invalid message dead-lettered');
    expect(called).toBe(false);
    expect(reasons[0]).toMatch(/invalid message: operationId/);
  });

  it('loses nothing when NATS restarts mid-stream', async () => {
    const subject = `bosun.cmd.${uniqueName('msgtest')}.${uniqueName('restart')}.v1`;
    const seen = new Set<string>();
    await consumer(subject, async (m) => void seen.add((m as { operationId: string }).operationId)).start();
    for (let i = 0; i < 20; i++) await pub.command(subject, envelope(`op_r${i}`));
    infra('stop-nats');
    infra('start-nats');
    await eventually(async () => { await nc.flush(); return true; }, 'nats reconnect', 20_000, 250);
    for (let i = 20; i < 40; i++) await pub.command(subject, envelope(`op_r${i}`));
    await eventually(() => (seen.size === 40 ? true : undefined), '40 distinct deliveries', 30_000);
  }, 60_000);

  it('a first connect waits for a NATS that is not up yet; one that must not wait fails at once', async () => {
    infra('stop-nats');
    let restarted = false;
    try {
      await expect(connectNats(testInfra().natsUrl, 'messaging-int-once', logger, testNatsAuth('apps'), { firstConnectDeadlineMs: 0 })).rejects.toThrow(/cannot connect to NATS at .* after 1 attempts/);
      const waiting = connectNats(testInfra().natsUrl, 'messaging-int-late', logger, testNatsAuth('apps'));
      let settled = false;
      void waiting.then(() => (settled = true), () => (settled = true));
      await new Promise((r) => setTimeout(r, 1500));
      expect(settled).toBe(false);
      infra('start-nats');
      restarted = true;
      const late = await waiting;
      await late.flush();
      await late.close();
    } finally {
      if (!restarted) infra('start-nats');
    }
    await eventually(async () => { await nc.flush(); return true; }, 'nats reconnect', 20_000, 250);
  }, 60_000);
});

describe('BullMQ jobs (real Redis)', () => {
  let redis: Redis;
  beforeAll(() => { redis = connectRedis(testInfra().redisUrl, 'jobs-int', logger); });
  afterAll(async () => { await redis.quit(); });

  it('retries with back-off, is idempotent per operation id, and reports exhaustion', async () => {
    const name = uniqueName('q');
    const queue = new JobQueue<{ operationId: string; failTimes: number }>(name, redis);
    const runs: Record<string, number> = {};
    const exhausted: string[] = [];
    const worker = new JobWorker<{ operationId: string; failTimes: number }>({
      queue: name, connection: redis, concurrency: 2, logger,
      process: async (job) => {
        runs[job.data.operationId] = (runs[job.data.operationId] ?? 0) + 1;
        if (runs[job.data.operationId] <= job.data.failTimes) throw new Error('not yet');
        return 'done';
      },
      onExhausted: async (job) => void exhausted.push(job.data.operationId),
    });
    worker.start();
    await queue.add('work', { operationId: 'op_a', failTimes: 2 });
    await queue.add('work', { operationId: 'op_a', failTimes: 2 });
    await queue.add('work', { operationId: 'op_b', failTimes: 99 }, { attempts: 2, backoff: { type: 'fixed', delay: 10 } });
    await eventually(() => (runs.op_a === 3 && exhausted.includes('op_b') ? true : undefined), 'retries', 20_000);
    expect(runs.op_a).toBe(3);
    expect(runs.op_b).toBe(2);
    expect(exhausted).toEqual(['op_b']);
    expect(worker.health().ok).toBe(true);
    await worker.close();
    await queue.close();
  }, 30_000);
});
