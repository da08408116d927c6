/**
 * Gateway command intake vs the raw backbone, in one run on one machine:
 *  - bare JetStream publish-ack (sequential) and bare BullMQ add→complete (sequential);
 *  - gateway intake: POST /v1/deployments → 202 under a fixed 500 req/s load and flat out (autocannon);
 *  - intake-to-receipt: POST → the command arrives at a durable JetStream consumer.
 * Writes bench/results/intake.md and prints it.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { z } from 'zod';
import { STREAMS } from '@bosun/contracts';
import { createLogger } from '@bosun/logging';
import { connectNats, connectRedis, DurableConsumer, ensureStreams, JetStreamPublisher, JobQueue, JobWorker } from '@bosun/messaging';
import { testNatsAuth, testNatsEnv } from '@bosun/testing';
import { fmt, nowMs, summarize } from './stats';
import type { Summary } from './stats';

const root = join(__dirname, '..', '..');
const logger = createLogger('bench', 'silent');
const NATS_URL = process.env.NATS_URL!;
const REDIS_URL = process.env.REDIS_URL!;
const PORT = Number(process.env.BENCH_GATEWAY_PORT ?? 18480);
const TOKEN = 'bench-admin-token-0123456789abcdef';
const N = Number(process.env.BENCH_N ?? 2000);

async function barePublishAck(): Promise<Summary> {
  // The floor in the workloads' account: a bare publish-ack with no permission in the way.
  const nc = await connectNats(NATS_URL, 'bench-js', logger, testNatsAuth('apps'));
  await ensureStreams(nc);
  const pub = new JetStreamPublisher(nc);
  const lat: number[] = [];
  const t0 = nowMs();
  for (let i = 0; i < N; i++) {
    const s = nowMs();
    await pub.event('bosun.evt.bench.ping.v1', { i });
    lat.push(nowMs() - s);
  }
  const r = summarize(lat, nowMs() - t0);
  await nc.drain();
  return r;
}

async function bareBullmq(): Promise<Summary> {
  const redis = connectRedis(REDIS_URL, 'bench-bullmq', logger);
  const name = `bench-${Date.now()}`;
  const queue = new JobQueue<{ operationId: string }>(name, redis);
  const done = new Map<string, () => void>();
  const worker = new JobWorker<{ operationId: string }>({ queue: name, connection: redis, concurrency: 1, logger, process: async (job) => { done.get(job.data.operationId)?.(); } });
  worker.start();
  const n = Math.min(N, 1000);
  const lat: number[] = [];
  const t0 = nowMs();
  for (let i = 0; i < n; i++) {
    const s = nowMs();
    await new Promise<void>((resolve) => { done.set(`b${i}`, resolve); void queue.add('x', { operationId: `b${i}` }); });
    lat.push(nowMs() - s);
  }
  const r = summarize(lat, nowMs() - t0);
  await worker.close();
  await queue.queue.obliterate({ force: true });
  await queue.close();
  redis.disconnect();
  return r;
}

function startGateway(): Promise<() => void> {
  const p = spawn(process.execPath, [join(root, 'dist/apps/gateway/src/main.js')], {
    env: { ...process.env, ...testNatsEnv('gateway'), BOSUN_GATEWAY_PORT: String(PORT), BOSUN_ADMIN_TOKEN: TOKEN, BOSUN_RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn' },
    stdio: 'inherit',
  });
  return new Promise((resolve, reject) => {
    const t = setInterval(async () => {
      if ((await fetch(`http://127.0.0.1:${PORT}/healthz`).catch(() => undefined))?.ok) { clearInterval(t); resolve(() => p.kill('SIGTERM')); }
    }, 100);
    p.on('exit', (c) => reject(new Error(`gateway exited ${c}`)));
  });
}

const body = (i: number): string => JSON.stringify({ namespace: 'bench', name: `web-${i % 1000}`, image: 'nginx:1.27' });

async function intake(rate?: number, duration = 10): Promise<{ p50: number; p99: number; perSecond: number; non2xx: number; errors: number }> {
  let i = 0;
  const r = await autocannon({
    url: `http://127.0.0.1:${PORT}/v1/deployments`, method: 'POST', duration, connections: rate ? 10 : 20, ...(rate ? { overallRate: rate } : {}),
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    setupClient: (client: { setBody: (b: string) => void; on: (e: string, f: () => void) => void }) => { client.setBody(body(i++)); client.on('response', () => client.setBody(body(i++))); },
  } as never);
  return { p50: r.latency.p50, p99: r.latency.p99, perSecond: r.requests.average, non2xx: r.non2xx, errors: r.errors };
}

async function intakeToReceipt(): Promise<Summary> {
  // Stands in for the deployer (which is not running here), so it is the deployer on the bus.
  const nc = await connectNats(NATS_URL, 'bench-receiver', logger, testNatsAuth('deployer'));
  const pub = new JetStreamPublisher(nc);
  const received = new Map<string, number>();
  const waiting = new Map<string, () => void>();
  const durable = 'deployer-commands';
  // Stands in for the deployer: a durable consumer on its command subjects (the real one is not running here).
  const consumer = new DurableConsumer(nc, pub, {
    stream: STREAMS.commands.name, durable, filterSubjects: ['bosun.cmd.deployer.>'], maxDeliver: 1,
    schema: z.object({ operationId: z.string() }).passthrough(),
    handler: async (m) => { received.set(m.operationId, nowMs()); waiting.get(m.operationId)?.(); },
  }, logger);
  await consumer.start();
  const n = Math.min(N, 1000);
  const lat: number[] = [];
  const t0 = nowMs();
  for (let i = 0; i < n; i++) {
    const s = nowMs();
    const res = await fetch(`http://127.0.0.1:${PORT}/v1/deployments`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: body(i) });
    const op = (await res.json()) as { id: string };
    if (!received.has(op.id)) await new Promise<void>((r) => waiting.set(op.id, r));
    lat.push(received.get(op.id)! - s);
  }
  const r = summarize(lat, nowMs() - t0);
  await consumer.stop();
  await nc.drain();
  return r;
}

async function main(): Promise<void> {
  console.log('[bench] bare JetStream publish-ack …');
  const js = await barePublishAck();
  console.log('[bench] bare BullMQ add→complete …');
  const bull = await bareBullmq();
  const stop = await startGateway();
  try {
    console.log('[bench] warm-up (JIT, connections) …');
    await intake(300, 3);
    console.log('[bench] gateway intake at 500 req/s for 10 s …');
    const fixed = await intake(500);
    console.log('[bench] gateway intake flat out for 10 s …');
    const max = await intake();
    console.log('[bench] intake → command receipt …');
    const receipt = await intakeToReceipt();
    const md = `# Intake benchmark

Run: ${new Date().toISOString()}, Node ${process.version}, ${require('node:os').cpus().length} cores, loopback NATS ${'(JetStream, file storage)'} and Redis (AOF).
Command: \`npm run bench\`. Sequential samples: ${js.n} (JetStream), ${bull.n} (BullMQ), ${receipt.n} (intake→receipt).

| measurement | p50 ms | p99 ms | throughput /s |
|---|---|---|---|
| bare JetStream publish-ack (sequential) | ${fmt(js.p50)} | ${fmt(js.p99)} | ${fmt(js.perSecond, 0)} |
| bare BullMQ add→complete (sequential) | ${fmt(bull.p50)} | ${fmt(bull.p99)} | ${fmt(bull.perSecond, 0)} |
| gateway intake POST→202 at 500 req/s | ${fmt(fixed.p50)} | ${fmt(fixed.p99)} | ${fmt(fixed.perSecond, 0)} (non-2xx ${fixed.non2xx}, errors ${fixed.errors}) |
| gateway intake POST→202 flat out (20 connections) | ${fmt(max.p50)} | ${fmt(max.p99)} | ${fmt(max.perSecond, 0)} (non-2xx ${max.non2xx}, errors ${max.errors}) |
| intake → command received by a durable consumer (sequential) | ${fmt(receipt.p50)} | ${fmt(receipt.p99)} | ${fmt(receipt.perSecond, 0)} |

Ratios:
- intake→receipt p50 / bare publish-ack p50 = **${fmt(receipt.p50 / js.p50)}×** (target ≤ 2×)
- intake p99 at 500 req/s = **${fmt(fixed.p99)} ms** (target ≤ 10 ms)

Notes: intake includes authentication (hash lookup in Redis), validation, the deployer's
\`validate\` query (no responder here, so it returns at once), the idempotency and
operation writes in Redis, the audit entry and the JetStream publish-ack. The
intake→receipt path is a full HTTP round trip plus the consumer's delivery, while the
bare number is only a publish-ack, so its ratio is an upper bound on Bosun's overhead.
`;
    writeFileSync(join(root, 'bench/results/intake.md'), md);
    console.log(md);
  } finally {
    stop();
  }
}

void main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
