/**
 * GET /v1/operations as the store grows, and the memory of bounded state, in one run:
 *  - three stores, 1k, 10k and 100k operations of 10 kinds and every status, each in a Redis
 *    database of its own, filled through the store's own write path (OperationStore.insert, then
 *    apply to the final state: the MULTI and the Lua compare-and-set the gateway runs; many in
 *    flight, so ioredis pipelines them), each served by a built gateway process of its own;
 *  - each list filter timed over HTTP and in-process (`OperationStore.list`), the three sizes
 *    interleaved call by call (the machine's noise falls on all three alike), and through `scan`,
 *    the list as it was before the indexes (the creation index read newest first and filtered);
 *  - Redis memory of each size (INFO memory, MEMORY USAGE of every index);
 *  - steady state under retention: operations and audit entries written at a fixed rate with a
 *    retention of a few seconds and the trimmer run every second: memory levels off.
 * Databases BENCH_OPS_DB (9) and the two after it (gateways on BENCH_OPS_GATEWAY_PORT, 18490, and the two after it), flushed before and after. Needs NATS_URL,
 * REDIS_URL and a build (`npm run -s build`). Writes bench/results/operations-list.md and prints it.
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Operation, OperationStatus } from '@bosun/contracts';
import { connectRedis } from '@bosun/messaging';
import type { Redis } from '@bosun/messaging';
import type { OperationChange } from '@bosun/gateway-domain';
import { eventually, testNatsEnv } from '@bosun/testing';
import { AuditLog } from '../apps/gateway/src/audit/audit.log';
import { OperationStore } from '../apps/gateway/src/operations/operation.store';
import type { OperationFilter, PendingCommand } from '../apps/gateway/src/operations/operation.store';
import { RetentionTrimmer } from '../apps/gateway/src/operations/retention.trimmer';
import { logger, machine, root, sleep } from './services/common';
import { fmt, nowMs, summarize } from './stats';
import type { Summary } from './stats';

const SIZES = (process.env.BENCH_OPS_SIZES ?? '1000,10000,100000').split(',').map(Number);
const SAMPLES = Number(process.env.BENCH_OPS_SAMPLES ?? 200);
const DB = Number(process.env.BENCH_OPS_DB ?? 9);
const PORT = Number(process.env.BENCH_OPS_GATEWAY_PORT ?? 18490);
const STEADY_SECONDS = Number(process.env.BENCH_OPS_STEADY_SECONDS ?? 30);
const STEADY_RATE = Number(process.env.BENCH_OPS_STEADY_RATE ?? 1000);
const STEADY_RETENTION = 5;
const TOKEN = 'bench-admin-token-0123456789abcdef';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const DAY = 86400;
const IN_FLIGHT = 500;
const LIMIT = 50;
const log = (msg: string): void => console.log(`[bench:operations-list] ${msg}`);

const KINDS = ['deployment.deploy', 'deployment.set-image', 'deployment.rollback', 'deployment.scale', 'deployment.restart', 'storage.create-claim', 'tenant.create', 'node.drain', 'dns.checks', 'deployment.delete'];
/** Per thousand: 50 awaiting approval, 50 queued, 50 running, 2 rejected, 50 cancelled, 150 failed, 648 succeeded. */
const statusOf = (i: number): OperationStatus => {
  const r = i % 1000;
  const bands: [number, OperationStatus][] = [[50, 'awaiting_approval'], [100, 'queued'], [150, 'running'], [152, 'rejected'], [202, 'cancelled'], [352, 'failed']];
  return bands.find(([end]) => r < end)?.[1] ?? 'succeeded';
};
const kindOf = (i: number): string => KINDS[Math.floor(i / 3) % KINDS.length];

// Every filter but the last has ≥ 50 matches at every size, so each answer is the same size
// (50 items) from 1k to 100k. The last is the old scan's worst case: it grows with the store.
const QUERIES: { name: string; filter: Omit<OperationFilter, 'limit'> }[] = [
  { name: 'no filter', filter: {} },
  { name: 'status=succeeded (65 %)', filter: { status: 'succeeded' } },
  { name: 'status=running (5 %)', filter: { status: 'running' } },
  { name: 'status=awaiting_approval (5 %)', filter: { status: 'awaiting_approval' } },
  { name: 'kind=storage.create-claim (10 %)', filter: { kind: 'storage.create-claim' } },
  { name: 'status=succeeded&kind=deployment.rollback (6.5 %)', filter: { status: 'succeeded', kind: 'deployment.rollback' } },
  { name: 'status=rejected (0.2 %)', filter: { status: 'rejected' } },
];
const queryString = (f: Omit<OperationFilter, 'limit'>): string => new URLSearchParams({ ...f, limit: String(LIMIT) } as Record<string, string>).toString();
const expectedItems = (n: number, f: Omit<OperationFilter, 'limit'>): number => {
  let c = 0;
  for (let i = 0; i < n && c < LIMIT; i++) if ((!f.status || statusOf(i) === f.status) && (!f.kind || kindOf(i) === f.kind)) c++;
  return c;
};

const base = Date.now() - 10 * 60_000;
/** As the gateway inserts it: awaiting approval when it will be decided on, queued otherwise. */
function opOf(i: number, createdMs: number, final: OperationStatus): Operation {
  const at = new Date(createdMs).toISOString();
  return {
    id: `op_${i.toString(16).padStart(20, '0')}`, kind: kindOf(i), status: final === 'awaiting_approval' || final === 'rejected' ? 'awaiting_approval' : 'queued',
    actor: { subject: 'user:bench', groups: ['team-a'], via: 'api' },
    target: { cluster: 'default', namespace: `team-${i % 50}`, kind: 'Deployment', name: `web-${i % 1000}` }, createdAt: at, updatedAt: at,
  };
}
const commandOf = (o: Operation): PendingCommand => ({
  service: 'deployer', action: 'deploy',
  envelope: { operationId: o.id, kind: o.kind, actor: o.actor, target: o.target, payload: { namespace: o.target.namespace, name: o.target.name, image: 'registry.example.com/team/web:1.27.3', replicas: 3 }, issuedAt: o.createdAt },
});
function finalChange(status: OperationStatus): OperationChange | undefined {
  const at = new Date().toISOString();
  switch (status) {
    case 'running': return { type: 'started', at };
    case 'succeeded': return { type: 'succeeded', at, result: { revision: 4, images: ['registry.example.com/team/web:1.27.3'] } };
    case 'failed': return { type: 'failed', at, error: { code: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-7d9f" has timed out progressing' } };
    case 'cancelled': return { type: 'cancelled', at, by: 'user:bench' };
    case 'rejected': return { type: 'rejected', at, by: 'user:other', error: { code: 'Rejected', message: 'rejected by user:other' } };
    default: return undefined;
  }
}

async function writeOne(store: OperationStore, i: number, createdMs = base + i, status = statusOf(i)): Promise<void> {
  const op = opOf(i, createdMs, status);
  await store.insert(op, commandOf(op));
  // Out of the outbox as the gateway does once the stream has the command (the bench publishes none: nothing consumes here).
  if (op.status === 'queued') await store.sent(op.id);
  const change = finalChange(status);
  if (change) await store.apply(op.id, change);
}

async function fill(store: OperationStore, n: number): Promise<number> {
  const t0 = nowMs();
  for (let i = 0; i < n; i += IN_FLIGHT) await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, n - i) }, (_, j) => writeOne(store, i + j)));
  return nowMs() - t0;
}

const usedMemory = async (redis: Redis): Promise<number> => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))![1]);
async function indexBytes(redis: Redis): Promise<number> {
  const keys: string[] = [];
  for (let cursor = '0'; ;) {
    const [next, batch] = await redis.scan(cursor, 'MATCH', 'bosun:ops*', 'COUNT', 1000);
    keys.push(...batch);
    if ((cursor = next) === '0') break;
  }
  const sizes = await Promise.all(keys.map((k) => redis.memory('USAGE', k, 'SAMPLES', '0')));
  return sizes.reduce<number>((a, b) => a + Number(b ?? 0), 0);
}
/** An AOF rewrite (Redis forks and writes the whole data set) must not run while latency is measured. */
const aofQuiet = (redis: Redis): Promise<true> => eventually(async () => (/aof_rewrite_in_progress:0/.test(await redis.info('persistence')) && /aof_rewrite_scheduled:0/.test(await redis.info('persistence')) ? true : undefined), 'AOF rewrite done', 120_000, 200);

function startGateway(redisUrl: string, port: number): Promise<() => void> {
  const p = spawn(process.execPath, [join(root, 'dist/apps/gateway/src/main.js')], {
    env: {
      ...process.env, ...testNatsEnv('gateway'), REDIS_URL: redisUrl, BOSUN_GATEWAY_PORT: String(port), BOSUN_ADMIN_TOKEN: TOKEN,
      // The bench's open operations are nobody's: the reconciler must not ask about them while it runs.
      BOSUN_RATE_LIMIT_PER_MINUTE: '0', BOSUN_RECONCILE_AFTER_SECONDS: String(DAY), LOG_LEVEL: 'warn',
    },
    stdio: 'inherit',
  });
  return new Promise((resolve, reject) => {
    const t = setInterval(async () => {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.ok) { clearInterval(t); resolve(() => p.kill('SIGTERM')); }
    }, 100);
    p.on('exit', (c) => { clearInterval(t); reject(new Error(`gateway exited ${c}`)); });
  });
}

interface Size { n: number; port: number; redis: Redis; store: OperationStore; stop: () => void; fillMs: number; memory: number; indexes: number }
interface Timings { http: Summary[][]; list: Summary[][]; scan: Summary[][]; floor: Summary[] }

async function prepare(n: number, index: number): Promise<Size> {
  const u = new URL(process.env.REDIS_URL!);
  u.pathname = `/${DB + index}`;
  const redis = connectRedis(u.toString(), `bench-operations-list-${n}`, logger);
  await redis.flushdb();
  const port = PORT + index;
  // Its boot runs the one-time backfill on the empty database: from then on the indexes serve its lists.
  const stop = await startGateway(u.toString(), port);
  const store = new OperationStore(redis, { retention: { operationSeconds: 30 * DAY, auditSeconds: 90 * DAY } });
  await aofQuiet(redis);
  const before = await usedMemory(redis);
  log(`filling ${n} operations …`);
  const fillMs = await fill(store, n);
  const memory = (await usedMemory(redis)) - before;
  return { n, port, redis, store, stop, fillMs, memory, indexes: await indexBytes(redis) };
}

async function httpItems(port: number, path: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers: AUTH });
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { items?: unknown[] }).items?.length ?? -1;
}

/** `n` rounds of one call per size, sizes in turn (first one rotating); every answer checked for its number of items. */
async function interleaved(sizes: Size[], n: number, call: (s: Size) => Promise<number>, expected: (s: Size) => number, what: string): Promise<Summary[]> {
  const lat = sizes.map(() => [] as number[]);
  const t0 = nowMs();
  for (let round = -20; round < n; round++) {
    for (let j = 0; j < sizes.length; j++) {
      const k = (j + Math.max(0, round)) % sizes.length;
      const s = nowMs();
      const items = await call(sizes[k]);
      if (round >= 0) lat[k].push(nowMs() - s);
      if (items !== expected(sizes[k])) throw new Error(`${what} at ${sizes[k].n}: ${items} items, expected ${expected(sizes[k])}`);
    }
  }
  return lat.map((l) => summarize(l, nowMs() - t0));
}

async function measure(sizes: Size[]): Promise<Timings> {
  await Promise.all(sizes.map((s) => aofQuiet(s.redis)));
  // Both processes' JIT warm on the whole path first, or whichever filter is measured first looks slowest.
  for (let i = 0; i < 100; i++) {
    for (const s of sizes) for (const q of QUERIES) { await httpItems(s.port, `/v1/operations?${queryString(q.filter)}`); await s.store.list({ ...q.filter, limit: LIMIT }); }
  }
  const floor = await interleaved(sizes, SAMPLES, async (s) => ((await fetch(`http://127.0.0.1:${s.port}/v1/whoami`, { headers: AUTH })).ok ? 0 : -1), () => 0, 'whoami');
  const t: Timings = { http: [], list: [], scan: [], floor };
  for (const q of QUERIES) {
    const expected = (s: Size): number => expectedItems(s.n, q.filter);
    log(`${q.name} …`);
    t.http.push(await interleaved(sizes, SAMPLES, (s) => httpItems(s.port, `/v1/operations?${queryString(q.filter)}`), expected, `GET ${q.name}`));
    t.list.push(await interleaved(sizes, SAMPLES, async (s) => (await s.store.list({ ...q.filter, limit: LIMIT })).length, expected, `list ${q.name}`));
    // The list before the indexes: at 100k a rare filter reads every document, so few samples.
    t.scan.push(await interleaved(sizes, 5, async (s) => (await s.store.scan({ ...q.filter, limit: LIMIT })).length, expected, `scan ${q.name}`));
  }
  return t;
}

interface SteadyRow { t: number; written: number; keys: number; indexed: number; audit: number; memory: number }

/** Operations (and one audit entry each) at a fixed rate, kept STEADY_RETENTION s, trimmed every second. */
async function steadyState(redis: Redis): Promise<SteadyRow[]> {
  await redis.flushdb();
  const retention = { operationSeconds: STEADY_RETENTION, auditSeconds: STEADY_RETENTION };
  const store = new OperationStore(redis, { retention });
  await store.backfillIndexes();
  const audit = new AuditLog(redis);
  const trimmer = new RetentionTrimmer(store, audit, redis, { instanceId: 'bench', retention }, logger);
  await aofQuiet(redis);
  const memBase = await usedMemory(redis);
  const rows: SteadyRow[] = [];
  const t0 = Date.now();
  let written = 0;
  let nextTrim = t0 + 1000;
  let nextSample = t0 + 5000;
  while (Date.now() - t0 < STEADY_SECONDS * 1000) {
    const tick = Date.now();
    const from = 1_000_000 + written;
    // Every one ends at once (an open operation is never trimmed; here none stays open): most succeed, some fail.
    await Promise.all(Array.from({ length: STEADY_RATE / 10 }, (_, j) => Promise.all([
      writeOne(store, from + j, Date.now(), (from + j) % 7 === 0 ? 'failed' : 'succeeded'),
      audit.record({ subject: 'user:bench', via: 'api', action: 'deployment.deploy', target: { namespace: 'team-a', name: 'web' }, operationId: `op_${from + j}`, outcome: 'accepted', status: 202 }),
    ])));
    written += STEADY_RATE / 10;
    if (Date.now() >= nextTrim) { await trimmer.trimOnce(); nextTrim += 1000; }
    if (Date.now() >= nextSample) {
      rows.push({ t: Math.round((Date.now() - t0) / 1000), written, keys: await redis.dbsize(), indexed: await redis.zcard('bosun:ops'), audit: await redis.xlen('bosun:audit'), memory: (await usedMemory(redis)) - memBase });
      nextSample += 5000;
    }
    await sleep(Math.max(0, 100 - (Date.now() - tick)));
  }
  return rows;
}

const mb = (b: number): string => fmt(b / 1024 / 1024, 1);
const k = (n: number): string => (n >= 1000 ? `${n / 1000}k` : String(n));

function report(sizes: Size[], t: Timings, steady: SteadyRow[], seconds: number): string {
  const cols = sizes.map((s) => k(s.n));
  const [first, last] = [0, sizes.length - 1];
  const header = `| query (limit ${LIMIT}) | ${cols.map((c) => `${c}: p50 / p99 ms (items)`).join(' | ')} | p50 ${cols[last]} ÷ ${cols[first]} |\n|---|${cols.map(() => '---|').join('')}---|`;
  const cell = (s: Summary, items: number): string => `${fmt(s.p50)} / ${fmt(s.p99)} (${items})`;
  const rows = (m: Summary[][]): string => QUERIES.map((q, i) =>
    `| \`${q.name}\` | ${sizes.map((s, j) => cell(m[i][j], expectedItems(s.n, q.filter))).join(' | ')} | ${fmt(m[i][last].p50 / m[i][first].p50)}× |`).join('\n');
  const same = QUERIES.map((_, i) => i).filter((i) => sizes.every((s) => expectedItems(s.n, QUERIES[i].filter) === LIMIT));
  const ratios = same.map((i) => t.http[i][last].p50 / t.http[i][first].p50);
  const listRatios = same.map((i) => t.list[i][last].p50 / t.list[i][first].p50);
  const plateau = steady.slice(-3);
  return `# Operations list benchmark (bounded state)

Run: ${new Date().toISOString()}, ${machine()}.
Loopback Redis (AOF, everysec; no AOF rewrite running while measuring), one database per size (${sizes.map((s, i) => `${k(s.n)} in db ${DB + i}`).join(', ')}),
each served by a built gateway process of its own (\`dist/apps/gateway/src/main.js\`, the bench's NATS). Command: \`npm run -s build &&
node dist/bench/operations-list.bench.js\` (a step of \`npm run bench\`), ${seconds} s.

Filled through the store's own write path — \`OperationStore.insert\` (one MULTI: document, pending command, the creation, status,
kind and status+kind indexes, the outbox), \`sent\` (out of the outbox, as after the publish-ack) and \`apply\` to the final state (the Lua compare-and-set that moves the operation between status
indexes and, once terminal, sets its expiry) — ${IN_FLIGHT} operations in flight (ioredis pipelines them). Per thousand operations:
50 awaiting approval, 50 queued, 50 running, 2 rejected, 50 cancelled, 150 failed, 648 succeeded; 10 kinds in turn. Each figure:
${SAMPLES} calls per size after 20 warm-up rounds, the sizes interleaved call by call; every answer checked for its number of items.

## GET /v1/operations over HTTP (bearer auth, role guard, query pipe, the store, JSON)

${header}
${rows(t.http)}
| floor: \`GET /v1/whoami\` (the same auth and HTTP, no store) | ${sizes.map((_, j) => cell(t.floor[j], 0)).join(' | ')} | ${fmt(t.floor[last].p50 / t.floor[first].p50)}× |

Where the answer is the same size (${LIMIT} items) at every size, p50 at ${cols[last]} over p50 at ${cols[first]} is ${fmt(Math.min(...ratios))}–${fmt(Math.max(...ratios))}×
over HTTP and ${fmt(Math.min(...listRatios))}–${fmt(Math.max(...listRatios))}× in-process: ${Math.max(...ratios) <= 1.25 ? '**flat**' : '**not flat**'} (goal: within 1.25×). \`status=rejected\`
answers more items as the store grows (there are more rejected operations to show), up to the limit.

## The same filters in-process: \`OperationStore.list\` (one ZREVRANGE of the filter's index, one MGET)

${header}
${rows(t.list)}

## Before the indexes: \`OperationStore.scan\` (how every list worked until now; the path until the one-time backfill has run)

The creation index read newest first, 200 at a time, each page's documents fetched and filtered: a filter few operations match
reads every document. 5 calls per size.

${header}
${rows(t.scan)}

## Redis memory per size (INFO memory \`used_memory\`, before and after the fill)

| stored operations | fill s | operations written /s | used_memory MB | bytes per operation | of which indexes (MEMORY USAGE of every \`bosun:ops*\` key) MB |
|---|---|---|---|---|---|
${sizes.map((s) => `| ${k(s.n)} | ${fmt(s.fillMs / 1000, 1)} | ${fmt((s.n * 1000) / s.fillMs, 0)} | ${mb(s.memory)} | ${fmt(s.memory / s.n, 0)} | ${mb(s.indexes)} |`).join('\n')}

An operation costs its document, its pending command (redacted) and a member in each of four sorted sets (creation, status,
kind, status+kind): memory grows linearly with what is kept, so what bounds it is the retention.

## Steady state under retention (${STEADY_RETENTION} s here; BOSUN_OPERATION_RETENTION_DAYS / BOSUN_AUDIT_RETENTION_DAYS in production)

${STEADY_RATE} operations/s written (each ended at once, succeeded or failed, and one audit entry each) for ${STEADY_SECONDS} s;
\`RetentionTrimmer.trimOnce()\` every second (the gateway's runs once a minute); Redis expires the documents itself.

| t s | operations written | keys in the database | creation index members | audit entries | used_memory MB over empty |
|---|---|---|---|---|---|
${steady.map((r) => `| ${r.t} | ${r.written} | ${r.keys} | ${r.indexed} | ${r.audit} | ${mb(r.memory)} |`).join('\n')}

"Keys in the database" is above twice the operations kept (a document and a pending command each, and the ~40 index keys) by
documents that have expired but that Redis has not reclaimed yet (it expires keys when read, and in the background by sampling);
they are in no index, no list shows them, and that backlog levels off too.

Once the first retention period has passed, what is kept is about retention × rate, however much was written: over the last three
samples ${plateau.map((r) => r.indexed).join(', ')} operations and ${plateau.map((r) => r.audit).join(', ')} audit entries kept, ${plateau.map((r) => mb(r.memory)).join(', ')} MB,
of ${plateau[plateau.length - 1]?.written ?? 0} written.
`;
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const sizes: Size[] = [];
  try {
    for (const [i, n] of SIZES.entries()) sizes.push(await prepare(n, i));
    const timings = await measure(sizes);
    for (const s of sizes) s.stop();
    log(`steady state: ${STEADY_RATE}/s for ${STEADY_SECONDS} s, retention ${STEADY_RETENTION} s …`);
    const steady = await steadyState(sizes[0].redis);
    const md = report(sizes, timings, steady, Math.round((Date.now() - t0) / 1000));
    writeFileSync(join(root, 'bench/results/operations-list.md'), md);
    console.log(md);
  } finally {
    for (const s of sizes) {
      s.stop();
      await s.redis.flushdb();
      s.redis.disconnect();
    }
  }
}

void main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
