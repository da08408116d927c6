/**
 * What the service benchmarks (dns, provisioner) share: the testenv, a clean slate in this
 * bench's NATS and Redis for the service under test, an operation-event recorder that
 * timestamps each event on arrival, a bounded pool, timeouts and the machine's load.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { INestApplication } from '@nestjs/common';
import { jobQueue, OPERATION_EVENTS_FILTER, parseOperationEventSubject } from '@bosun/contracts';
import type { ServiceName } from '@bosun/contracts';
import { createLogger } from '@bosun/logging';
import { connectRedis, decodeJson, JobQueue } from '@bosun/messaging';
import type { NatsConnection } from '@bosun/messaging';
import { ServiceMetrics } from '@bosun/service-kit';
import { nowMs } from '../stats';

export const root = join(__dirname, '..', '..', '..');
export const logger = createLogger('bench', 'silent');
const run = promisify(execFile);

/**
 * The compiled `@bosun/testing` looks for `.bosun/testenv.json` relative to `dist/`: point it
 * at the repository's, and fail loudly (naming the fix) when the control plane is not up.
 */
export function useTestenv(): void {
  process.env.BOSUN_TESTENV_JSON ??= join(root, '.bosun', 'testenv.json');
  if (!existsSync(process.env.BOSUN_TESTENV_JSON)) {
    throw new Error(`${process.env.BOSUN_TESTENV_JSON} is missing: start the local control plane with \`node tools/testenv/launcher/up.mjs\``);
  }
  if (!process.env.NATS_URL || !process.env.REDIS_URL) throw new Error('NATS_URL and REDIS_URL must be set (scripts/bench.sh sets them)');
  for (const url of [process.env.NATS_URL, process.env.REDIS_URL]) {
    const host = new URL(url).hostname;
    if (host !== '127.0.0.1' && host !== 'localhost') throw new Error(`benchmarks talk to loopback only, not ${url}`);
  }
}

/**
 * The service's BullMQ jobs left by earlier runs, dropped so the run starts clean (returns how
 * many). No principal may purge Bosun's command stream (ADR 0005): scripts/bench.sh starts
 * every run on an empty NATS store instead.
 */
export async function dropStaleWork(_nc: NatsConnection, service: ServiceName): Promise<number> {
  const redis = connectRedis(process.env.REDIS_URL!, `bench-${service}-clean`, logger);
  const queue = new JobQueue(jobQueue(service, 'operations'), redis);
  const purged = Object.values(await queue.queue.getJobCounts()).reduce((a, b) => a + b, 0);
  await queue.queue.obliterate({ force: true });
  await queue.close();
  redis.disconnect();
  return purged;
}

export interface TimedEvent { type: string; arrived: number; at: number; message?: string; error?: { code: string; message: string }; result?: Record<string, unknown> }

/** Every operation event, stamped with this process' clock when it arrived; `terminal(id)` waits for the end. */
export class EventClock {
  private readonly byOp = new Map<string, TimedEvent[]>();
  private readonly waiters = new Map<string, (e: TimedEvent) => void>();

  constructor(nc: NatsConnection) {
    nc.subscribe(OPERATION_EVENTS_FILTER, {
      callback: (_err, msg) => {
        const arrived = nowMs();
        const body = decodeJson(msg.data) as { operationId: string; at: string; message?: string; progress?: { message: string }; error?: TimedEvent['error']; result?: Record<string, unknown> };
        const e: TimedEvent = { type: parseOperationEventSubject(msg.subject)?.kind ?? 'unknown', arrived, at: Date.parse(body.at), message: body.progress?.message ?? body.message, error: body.error, result: body.result };
        const list = this.byOp.get(body.operationId) ?? [];
        list.push(e);
        this.byOp.set(body.operationId, list);
        if (e.type === 'succeeded' || e.type === 'failed') this.waiters.get(body.operationId)?.(e);
      },
    });
  }

  of(id: string): TimedEvent[] {
    return this.byOp.get(id) ?? [];
  }

  terminal(id: string, timeoutMs: number): Promise<TimedEvent> {
    const done = this.of(id).find((e) => e.type === 'succeeded' || e.type === 'failed');
    if (done) return Promise.resolve(done);
    return withTimeout(new Promise<TimedEvent>((resolve) => this.waiters.set(id, resolve)), timeoutMs, `terminal event of ${id}`).finally(() => this.waiters.delete(id));
  }

  forget(id: string): void {
    this.byOp.delete(id);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms); })]).finally(() => clearTimeout(timer));
}

/** Runs `fn(0..n-1)` with at most `concurrency` in flight, giving up (throwing) past `budgetMs`; resolves with the elapsed ms. */
export async function pool(n: number, concurrency: number, fn: (i: number) => Promise<void>, budgetMs = 300_000): Promise<number> {
  const t0 = nowMs();
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, concurrency) }, async () => {
    while (next < n) {
      if (nowMs() - t0 > budgetMs) throw new Error(`pool: not done within ${budgetMs} ms (${next} of ${n} started)`);
      await fn(next++);
    }
  }));
  return nowMs() - t0;
}

/** Polls until a value comes (the test library's `eventually`, under the name the benches use). */
export { eventually as until } from '@bosun/testing';

/** The test control plane's kubectl (path from testenv.json), on its kubeconfig. */
export async function kubectl(path: string, kubeconfig: string, args: string[], timeoutMs = 300_000): Promise<string> {
  const { stdout } = await run(path, ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

export const machine = (): string => {
  const l = loadavg().map((x) => x.toFixed(2)).join(', ');
  return `Node ${process.version}, ${cpus().length} cores (load average ${l}; the machine is shared and busy: other engineers' test runs and the local control plane use the same cores)`;
};

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};

/**
 * The service's Kubernetes requests so far (the kit's `bosun_kube_request_duration_seconds_count`),
 * by verb, or by verb and status code.
 */
export async function kubeRequests(app: INestApplication, by: 'verb' | 'verb and code' = 'verb'): Promise<Record<string, number>> {
  const metric = app.get(ServiceMetrics).registry.getSingleMetric('bosun_kube_request_duration_seconds');
  const out: Record<string, number> = {};
  if (!metric) return out;
  for (const v of (await metric.get()).values) {
    if ((v as { metricName?: string }).metricName !== 'bosun_kube_request_duration_seconds_count') continue;
    const verb = String(v.labels.verb ?? '?');
    const key = by === 'verb' ? verb : `${verb} ${String(v.labels.code ?? '')}`.trim();
    out[key] = (out[key] ?? 0) + v.value;
  }
  return out;
}
/** The sum of a count table, and what grew from one table to the next. */
export const total = (r: Record<string, number>): number => Object.values(r).reduce((a, b) => a + b, 0);
export const diff = (a: Record<string, number>, b: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.keys(b).map((k) => [k, b[k] - (a[k] ?? 0)]).filter(([, v]) => (v as number) > 0));
