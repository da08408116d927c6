/**
 * Gateway command intake vs the floor of this architecture, in one run on one machine:
 *  - bare JetStream publish-ack and bare BullMQ add→complete (sequential);
 *  - the floor: a bare node:http server (a child process, as the gateway is) that parses the body,
 *    makes one Redis transaction (MULTI/EXEC: the operation document + an index entry) and one
 *    JetStream publish-ack of the command, then answers 202;
 *  - gateway intake: POST /v1/deployments → 202, interleaved with the floor request by request
 *    (sequential) and block by block (ABBA) at a fixed 500 req/s and flat out (autocannon);
 *  - what one accepted POST costs the gateway: Redis commands (INFO commandstats, and one POST's
 *    commands as MONITOR shows them), NATS messages, CPU, and a CPU profile of a sequential run
 *    (the inspector's Profiler, self time by function and by package);
 *  - intake-to-receipt: POST → the command arrives at a durable JetStream consumer.
 * Writes bench/results/intake.md (keeping its hand-written "What to remove" section) and prints it.
 * `node dist/bench/intake.bench.js floor` is the floor server itself.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { z } from 'zod';
import { commandSubject, querySubject, STREAMS } from '@bosun/contracts';
import { createLogger } from '@bosun/logging';
import { connectNats, connectRedis, DurableConsumer, ensureStreams, JetStreamPublisher, JobQueue, JobWorker, QueryClient, serveQuery } from '@bosun/messaging';
import type { Redis } from '@bosun/messaging';
import { TEST_ENCRYPTION_KEY, testNatsAuth, testNatsEnv } from '@bosun/testing';
import { cpuSeconds } from './deploy/processes';
import { fmt, nowMs, summarize } from './stats';
import type { Summary } from './stats';

const root = join(__dirname, '..', '..');
const RESULTS = join(root, 'bench/results/intake.md');
const KEEP_FROM = '## What to remove';
const logger = createLogger('bench', 'silent');
const NATS_URL = process.env.NATS_URL!;
const REDIS_URL = process.env.REDIS_URL!;
const PORT = Number(process.env.BENCH_GATEWAY_PORT ?? 18480);
const FLOOR_PORT = Number(process.env.BENCH_FLOOR_PORT ?? 18481);
/** Another build of the gateway to measure beside this one, interleaved the same way (a change's before/after in one run). */
const CANDIDATE = process.env.BENCH_INTAKE_CANDIDATE;
type Target = 'floor' | 'gateway' | 'candidate';
const TARGETS: Target[] = ['floor', 'gateway', ...(CANDIDATE ? ['candidate' as const] : [])];
const PORTS: Record<Target, number> = { floor: FLOOR_PORT, gateway: PORT, candidate: PORT + 2 };
const TOKEN = 'bench-admin-token-0123456789abcdef';
const N = Number(process.env.BENCH_N ?? 2000);
const SEQ = Number(process.env.BENCH_INTAKE_SEQ ?? 1000);
const RATE = 500;
const BLOCK_S = Number(process.env.BENCH_INTAKE_BLOCK_S ?? 5);
const PROFILE_INTERVAL_US = 250;
const ADMIN = { subject: 'user:admin', groups: ['system:masters'], via: 'api' as const };
const log = (m: string): void => console.log(`[bench:intake] ${m}`);

// ---------- the floor ----------

async function floorServer(): Promise<void> {
  const nc = await connectNats(NATS_URL, 'bench-floor', logger, testNatsAuth('gateway'));
  const js = new JetStreamPublisher(nc);
  const redis = connectRedis(REDIS_URL, 'bench-floor', logger);
  const subject = commandSubject('deployer', 'deploy');
  const accept = async (raw: string): Promise<{ status: number; body: string }> => {
    const payload = JSON.parse(raw) as { namespace?: unknown; name?: unknown };
    if (typeof payload.namespace !== 'string' || typeof payload.name !== 'string') return { status: 422, body: '{"title":"Unprocessable"}' };
    const id = `op_${randomBytes(10).toString('hex')}`;
    const now = new Date().toISOString();
    const target = { cluster: 'default', namespace: payload.namespace, kind: 'Deployment', name: payload.name };
    const op = { id, kind: 'deployment.deploy', status: 'queued', actor: ADMIN, target, createdAt: now, updatedAt: now };
    await redis.multi().set(`bench:floor:op:${id}`, JSON.stringify(op)).zadd('bench:floor:ops', Date.now(), id).exec();
    await js.command(subject, { operationId: id, kind: op.kind, actor: ADMIN, target, payload, issuedAt: now });
    return { status: 202, body: JSON.stringify(op) };
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      accept(Buffer.concat(chunks).toString('utf8')).catch(() => ({ status: 400, body: '{}' })).then(({ status, body }) => {
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
      }, () => undefined);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(FLOOR_PORT, '127.0.0.1', () => console.log('floor ready'));
  process.on('SIGTERM', () => { server.close(); void nc.drain(); redis.disconnect(); });
}

// ---------- processes ----------

interface Proc { pid: number; stop: () => void; inspector: Promise<string> }

function start(what: Target): Promise<Proc> {
  const port = PORTS[what];
  const main = what === 'candidate' ? CANDIDATE! : join(root, 'dist/apps/gateway/src/main.js');
  const [args, env] = what === 'floor'
    ? [[__filename, 'floor'], {}]
    : [['--inspect=127.0.0.1:0', main], { ...testNatsEnv('gateway'), BOSUN_GATEWAY_PORT: String(port), BOSUN_ADMIN_TOKEN: TOKEN, BOSUN_RATE_LIMIT_PER_MINUTE: '0', BOSUN_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, LOG_LEVEL: 'warn' }];
  const p = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'pipe'] });
  // The gateway's inspector (CPU profile) prints its address on stderr.
  const inspector = new Promise<string>((resolve) => {
    let err = '';
    p.stderr!.on('data', (b: Buffer) => {
      err += String(b);
      const m = /Debugger listening on (ws:\/\/\S+)/.exec(err);
      if (m) resolve(m[1]);
      for (const line of String(b).split('\n')) if (line && !/Debugger|For help, see/.test(line)) process.stderr.write(`${line}\n`);
    });
  });
  return new Promise((resolve, reject) => {
    const t = setInterval(() => {
      void post(port, '{"namespace":"bench","name":"probe","image":"nginx:1.27"}').then(({ status }) => {
        if (status === 202) { clearInterval(t); resolve({ pid: p.pid!, stop: () => p.kill('SIGTERM'), inspector }); }
      }, () => undefined);
    }, 200);
    p.on('exit', (c) => { clearInterval(t); reject(new Error(`${what} exited ${c}`)); });
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
/** One POST /v1/deployments over a kept-alive connection; resolves when the answer is read. */
function post(port: number, body: string): Promise<{ status: number; ms: number }> {
  const t0 = nowMs();
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/v1/deployments', method: 'POST', agent, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: nowMs() - t0 }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const body = (i: number): string => JSON.stringify({ namespace: 'bench', name: `web-${i % 1000}`, image: 'nginx:1.27' });

// ---------- measurements ----------

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

/** A bare NATS request/reply to the stand-in validate responder: what the gateway's validate query costs at least. */
async function bareRequestReply(): Promise<Summary> {
  const nc = await connectNats(NATS_URL, 'bench-ask', logger, testNatsAuth('gateway'));
  const q = new QueryClient(nc);
  const subject = querySubject('deployer', 'validate');
  const lat: number[] = [];
  const t0 = nowMs();
  for (let i = 0; i < N; i++) {
    const s = nowMs();
    const r = await q.request(subject, { actor: ADMIN, cluster: 'default', params: {} }, 3000);
    if (!r.ok) throw new Error(`validate stand-in: ${r.error.message}`);
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

type PerTarget<T> = Partial<Record<Target, T>> & { floor: T; gateway: T };

/** Every target one request in turn, the order rotating; every answer must be a 202. */
async function sequential(n: number): Promise<PerTarget<Summary>> {
  const lat = Object.fromEntries(TARGETS.map((t) => [t, [] as number[]])) as Record<Target, number[]>;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < TARGETS.length; j++) {
      const k = TARGETS[(i + j) % TARGETS.length];
      const r = await post(PORTS[k], body(i));
      if (r.status !== 202) throw new Error(`${k} answered ${r.status}`);
      lat[k].push(r.ms);
    }
  }
  return Object.fromEntries(TARGETS.map((t) => [t, summarize(lat[t], 1)])) as PerTarget<Summary>;
}

interface Load { p50: number; p99: number; perSecond: number; non2xx: number; errors: number; n: number }

/** autocannon against one port; every response's own latency kept, so blocks can be pooled. */
async function cannon(port: number, seconds: number, rate?: number): Promise<{ lat: number[]; total: number; non2xx: number; errors: number }> {
  let i = 0;
  const lat: number[] = [];
  const r = await autocannon({
    url: `http://127.0.0.1:${port}/v1/deployments`, method: 'POST', duration: seconds, connections: rate ? 10 : 20, ...(rate ? { overallRate: rate } : {}),
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    setupClient: (client: { setBody: (b: string) => void; on: (e: string, f: (status: number, bytes: number, ms: number) => void) => void }) => {
      client.setBody(body(i++));
      client.on('response', (_s, _b, ms) => { lat.push(ms); client.setBody(body(i++)); });
    },
  } as never);
  return { lat, total: r.requests.total, non2xx: r.non2xx, errors: r.errors };
}

/** Floor, gateway, gateway, floor (a candidate in the middle): the same machine state for each, on average. */
async function abba(seconds: number, rate?: number): Promise<PerTarget<Load>> {
  const acc = Object.fromEntries(TARGETS.map((t) => [t, { lat: [] as number[], total: 0, non2xx: 0, errors: 0, s: 0 }])) as Record<Target, { lat: number[]; total: number; non2xx: number; errors: number; s: number }>;
  for (const k of [...TARGETS, ...[...TARGETS].reverse()]) {
    const r = await cannon(PORTS[k], seconds, rate);
    const a = acc[k];
    a.lat.push(...r.lat); a.total += r.total; a.non2xx += r.non2xx; a.errors += r.errors; a.s += seconds;
  }
  const load = (a: (typeof acc)['floor']): Load => {
    const s = summarize(a.lat, 1);
    return { p50: s.p50, p99: s.p99, perSecond: a.total / a.s, non2xx: a.non2xx, errors: a.errors, n: a.lat.length };
  };
  return Object.fromEntries(TARGETS.map((t) => [t, load(acc[t])])) as PerTarget<Load>;
}

async function intakeToReceipt(): Promise<Summary> {
  // Stands in for the deployer (which is not running here), so it is the deployer on the bus.
  const nc = await connectNats(NATS_URL, 'bench-receiver', logger, testNatsAuth('deployer'));
  const pub = new JetStreamPublisher(nc);
  const received = new Map<string, number>();
  const waiting = new Map<string, () => void>();
  const consumer = new DurableConsumer(nc, pub, {
    stream: STREAMS.commands.name, durable: 'deployer-commands', filterSubjects: ['bosun.cmd.deployer.>'], maxDeliver: 1,
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

// ---------- what one POST costs ----------

const commandStats = async (redis: Redis): Promise<Map<string, number>> =>
  new Map([...(await redis.info('commandstats')).matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)].map((m) => [m[1], Number(m[2])]));

interface Cost { n: number; redis: [string, number][]; monitor: string[]; commands: number; notifications: number; validations: number; cpuMsGateway: number; cpuMsFloor: number }

/** Redis commands, NATS messages and CPU per accepted POST (gateway alone, sequential), and one POST as MONITOR shows it. */
async function costPerPost(redis: Redis, gatewayPid: number, floorPid: number, validations: () => number, n = 200): Promise<Cost> {
  const nc = await connectNats(NATS_URL, 'bench-sniffer', logger, testNatsAuth('gateway'));
  let commands = 0;
  let notifications = 0;
  nc.subscribe('bosun.cmd.>', { callback: () => { commands++; } });
  nc.subscribe('bosun.ntf.>', { callback: () => { notifications++; } });
  await nc.flush();
  const v0 = validations();
  const before = await commandStats(redis);
  const cpu0 = cpuSeconds(gatewayPid);
  for (let i = 0; i < n; i++) await post(PORT, body(i));
  const cpuMsGateway = ((cpuSeconds(gatewayPid) - cpu0) * 1000) / n;
  await new Promise((r) => setTimeout(r, 300)); // the audit entries are written after the answer
  const after = await commandStats(redis);
  const sent = { commands: commands / n, notifications: notifications / n, validations: (validations() - v0) / n };
  const redisPer = [...after].map(([k, v]) => [k, (v - (before.get(k) ?? 0)) / n] as [string, number]).filter(([k, v]) => v >= 0.05 && k !== 'info').sort((a, b) => b[1] - a[1]);
  const floorCpu0 = cpuSeconds(floorPid);
  for (let i = 0; i < n; i++) await post(FLOOR_PORT, body(i));
  const cpuMsFloor = ((cpuSeconds(floorPid) - floorCpu0) * 1000) / n;
  const monitor = await monitorOnePost();
  await nc.flush();
  await nc.drain();
  return { n, redis: redisPer, monitor, ...sent, cpuMsGateway, cpuMsFloor };
}

async function monitorOnePost(): Promise<string[]> {
  const admin = connectRedis(REDIS_URL, 'bench-monitor', logger);
  const names = new Map<string, string>();
  for (const line of String(await admin.call('CLIENT', 'LIST')).split('\n')) {
    const addr = /addr=(\S+)/.exec(line)?.[1];
    if (addr) names.set(addr, /name=(\S*)/.exec(line)?.[1] || '?');
  }
  const mon = await admin.monitor();
  const lines: { t: number; text: string }[] = [];
  mon.on('monitor', (time: string, args: string[], source: string) => {
    if (names.get(source)?.startsWith('bench-')) return;
    lines.push({ t: Number(time), text: `${names.get(source) ?? source}: ${args.slice(0, 3).map((a) => (a.length > 40 ? `${a.slice(0, 37)}…` : a)).join(' ')}` });
  });
  await new Promise((r) => setTimeout(r, 100));
  const t0 = Date.now() / 1000;
  await post(PORT, body(4242));
  await new Promise((r) => setTimeout(r, 200));
  mon.disconnect();
  admin.disconnect();
  const first = lines.find((l) => l.t >= t0 - 0.05)?.t ?? t0;
  return lines.filter((l) => l.t >= first).map((l) => `+${fmt((l.t - first) * 1000, 2)} ms ${l.text}`);
}

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

/** A CPU profile of the gateway (its inspector's Profiler) while `run` makes sequential POSTs. */
async function cpuProfile(wsUrl: string, run: () => Promise<void>): Promise<Profile> {
  const ws = new WebSocket(wsUrl);
  await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
  let id = 0;
  const pending = new Map<number, (v: unknown) => void>();
  ws.onmessage = (e) => { const m = JSON.parse(String(e.data)) as { id?: number; result?: unknown }; if (m.id) pending.get(m.id)?.(m.result); };
  const call = (method: string, params: unknown = {}): Promise<unknown> => new Promise((resolve) => { pending.set(++id, resolve); ws.send(JSON.stringify({ id, method, params })); });
  await call('Profiler.enable');
  await call('Profiler.setSamplingInterval', { interval: PROFILE_INTERVAL_US });
  await call('Profiler.start');
  await run();
  const { profile } = (await call('Profiler.stop')) as { profile: Profile };
  ws.close();
  return profile;
}

interface ProfileSummary { busyMs: number; idleMs: number; gcMs: number; functions: [string, number][]; areas: [string, number][] }

const areaOf = (url: string, fn: string): string => {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const own = /dist\/((?:apps|libs)\/[^/]+(?:\/[^/]+)?)\//.exec(url);
  return own ? `bosun ${own[1].replace(/\/src$/, '')}` : url.split('/').slice(-2).join('/');
};

function summarizeProfile(p: Profile): ProfileSummary {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  p.samples.forEach((s, i) => self.set(s, (self.get(s) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000));
  const fns = new Map<string, number>();
  const areas = new Map<string, number>();
  let idleMs = 0;
  let gcMs = 0;
  for (const [nodeId, ms] of self) {
    const { functionName, url, lineNumber } = byId.get(nodeId)!.callFrame;
    if (functionName === '(idle)') {
      idleMs += ms;
      continue;
    }
    if (functionName === '(garbage collector)') gcMs += ms;
    const file = url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, '').replace(/^file:\/\//, '');
    const key = `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
    fns.set(key, (fns.get(key) ?? 0) + ms);
    const area = areaOf(url, functionName);
    areas.set(area, (areas.get(area) ?? 0) + ms);
  }
  const busyMs = [...fns.values()].reduce((a, b) => a + b, 0);
  const top = (m: Map<string, number>, n: number): [string, number][] => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
  return { busyMs, idleMs, gcMs, functions: top(fns, 20), areas: top(areas, 14) };
}

// ---------- report ----------

const pct = (x: number, of: number): string => `${fmt((100 * x) / of, 1)}%`;

function report(r: { js: Summary; ask: Summary; bull: Summary; seq: PerTarget<Summary>; fixed: PerTarget<Load>; max: PerTarget<Load>; receipt: Summary; cost: Cost; prof: ProfileSummary; profN: number; load: string }): string {
  const { js, ask, bull, seq, fixed, max, receipt, cost, prof, profN } = r;
  const row = (what: string, l: Load): string => `| ${what} | ${l.n} | ${fmt(l.p50)} | ${fmt(l.p99)} | ${fmt(l.perSecond, 0)} (non-2xx ${l.non2xx}, errors ${l.errors}) |`;
  const perPost = (ms: number): string => fmt(ms / profN, 3);
  const kept = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '';
  const tail = kept.includes(KEEP_FROM) ? kept.slice(kept.indexOf(KEEP_FROM)) : `${KEEP_FROM}\n\n(not written yet)\n`;
  return `# Intake benchmark

Run: ${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores (load average at the end: ${r.load}), loopback NATS (JetStream, file storage) and Redis (AOF).
Command: \`npm run bench\` (\`node dist/bench/intake.bench.js\`). The gateway and the floor are child processes; the bench drives both from one process.
The gateway authenticates with the bootstrap admin token (no Redis read); a stand-in for the deployer answers its \`validate\` query at once (as the deployer does for a deploy).

**The floor**: a bare \`node:http\` server that parses the JSON body, makes one Redis transaction (MULTI: SET of the
operation document, ZADD of its index entry; EXEC) and one JetStream publish-ack of the command (same subject, same
\`Nats-Msg-Id\` dedupe, same stream), then answers 202 with the operation. No auth, no validation beyond two fields, no audit.

| measurement | n | p50 ms | p99 ms | throughput /s |
|---|---|---|---|---|
| bare JetStream publish-ack (sequential) | ${js.n} | ${fmt(js.p50)} | ${fmt(js.p99)} | ${fmt(js.perSecond, 0)} |
| bare NATS request/reply to a responder that answers at once (the gateway's \`validate\` query, sequential) | ${ask.n} | ${fmt(ask.p50)} | ${fmt(ask.p99)} | ${fmt(ask.perSecond, 0)} |
| bare BullMQ add→complete (sequential) | ${bull.n} | ${fmt(bull.p50)} | ${fmt(bull.p99)} | ${fmt(bull.perSecond, 0)} |
| **floor** POST→202, sequential (interleaved with the gateway, request by request) | ${seq.floor.n} | ${fmt(seq.floor.p50)} | ${fmt(seq.floor.p99)} | — |
| **gateway** POST /v1/deployments→202, sequential (interleaved) | ${seq.gateway.n} | ${fmt(seq.gateway.p50)} | ${fmt(seq.gateway.p99)} | — |
${seq.candidate ? `| candidate gateway (\`BENCH_INTAKE_CANDIDATE\`), sequential (interleaved) | ${seq.candidate.n} | ${fmt(seq.candidate.p50)} | ${fmt(seq.candidate.p99)} | — |\n` : ''}${row(`**floor** at ${RATE} req/s (10 connections, 2 × ${BLOCK_S} s, ABBA with the gateway)`, fixed.floor)}
${row(`**gateway** at ${RATE} req/s (10 connections, 2 × ${BLOCK_S} s)`, fixed.gateway)}
${fixed.candidate ? `${row(`candidate gateway at ${RATE} req/s`, fixed.candidate)}\n` : ''}${row(`floor flat out (20 connections, 2 × ${BLOCK_S} s)`, max.floor)}
${row(`gateway flat out (20 connections, 2 × ${BLOCK_S} s)`, max.gateway)}${max.candidate ? `\n${row('candidate gateway flat out', max.candidate)}` : ''}
| intake → command received by a durable consumer (sequential) | ${receipt.n} | ${fmt(receipt.p50)} | ${fmt(receipt.p99)} | ${fmt(receipt.perSecond, 0)} |

Ratios (goals from issue 14):
- sequential p50, gateway / floor = **${fmt(seq.gateway.p50 / seq.floor.p50)}×** (goal ≤ 1.5×); p99 ${fmt(seq.gateway.p99 / seq.floor.p99)}×
- at ${RATE} req/s: gateway p99 **${fmt(fixed.gateway.p99)} ms** (goal ≤ 10 ms); floor p99 ${fmt(fixed.floor.p99)} ms; p50 ratio ${fmt(fixed.gateway.p50 / fixed.floor.p50)}×
- flat out: gateway / floor throughput = ${fmt(max.gateway.perSecond / max.floor.perSecond)} (${fmt(max.gateway.perSecond, 0)} / ${fmt(max.floor.perSecond, 0)} per s)
${seq.candidate && fixed.candidate && max.candidate ? `- candidate (${CANDIDATE}): sequential p50 / floor = **${fmt(seq.candidate.p50 / seq.floor.p50)}×**, p99 at ${RATE} req/s ${fmt(fixed.candidate.p99)} ms, flat out / floor ${fmt(max.candidate.perSecond / max.floor.perSecond)}\n` : ''}- CPU per accepted POST (sequential, /proc): gateway **${fmt(cost.cpuMsGateway, 2)} ms**, floor ${fmt(cost.cpuMsFloor, 2)} ms (${fmt(cost.cpuMsGateway / cost.cpuMsFloor, 1)}×)

## Where the time goes

What one accepted \`POST /v1/deployments\` costs the gateway (${cost.n} sequential POSTs, nothing else hitting it):

- Redis commands per POST (INFO commandstats; the floor makes 1 MULTI + SET + ZADD + EXEC = one round trip):
  ${cost.redis.map(([k, v]) => `${k} ${fmt(v, 2)}`).join(', ')}
- NATS per POST: ${fmt(cost.validations, 2)} \`validate\` request/reply to the deployer, ${fmt(cost.commands, 2)} JetStream command publish (+ its ack), ${fmt(cost.notifications, 2)} operation-changed notification (core NATS, no reply)
- One POST as Redis MONITOR shows it (client name: command; commands a few µs apart from one client are one pipelined round trip):

\`\`\`
${cost.monitor.join('\n')}
\`\`\`

CPU profile of the gateway during ${profN} sequential POSTs (its inspector's Profiler, ${PROFILE_INTERVAL_US} µs sampling; self time,
not counting idle): ${fmt(prof.busyMs, 0)} ms busy = **${perPost(prof.busyMs)} ms per POST**, of which garbage collection ${perPost(prof.gcMs)} ms.

| by package / area | self ms per POST | share |
|---|---|---|
${prof.areas.map(([k, v]) => `| ${k} | ${perPost(v)} | ${pct(v, prof.busyMs)} |`).join('\n')}

| top self-time functions | self ms per POST | share |
|---|---|---|
${prof.functions.map(([k, v]) => `| \`${k.replace(/\|/g, '\\|')}\` | ${perPost(v)} | ${pct(v, prof.busyMs)} |`).join('\n')}

${tail}`;
}

// ---------- main ----------

async function main(): Promise<void> {
  if (process.argv[2] === 'floor') return floorServer();
  log('bare JetStream publish-ack …');
  const js = await barePublishAck();
  log('bare BullMQ add→complete …');
  const bull = await bareBullmq();
  // Stand-in for the deployer's validate query (a deploy needs no cluster read to validate).
  const deployerNc = await connectNats(NATS_URL, 'bench-validate', logger, testNatsAuth('deployer'));
  let validations = 0;
  serveQuery(deployerNc, querySubject('deployer', 'validate'), 'deployer', z.unknown(), async () => { validations++; return { ok: true, value: { fieldErrors: [] } }; }, logger);
  log('bare NATS request/reply (the validate stand-in) …');
  const ask = await bareRequestReply();
  const [gateway, floor, candidate] = await Promise.all([start('gateway'), start('floor'), ...(CANDIDATE ? [start('candidate')] : [])]);
  const redis = connectRedis(REDIS_URL, 'bench-stats', logger);
  try {
    log('warm-up (JIT, connections) …');
    for (const t of TARGETS) await cannon(PORTS[t], 3, 300);
    await sequential(200);
    log(`sequential, interleaved: ${SEQ} each …`);
    const seq = await sequential(SEQ);
    log(`  p50 gateway ${fmt(seq.gateway.p50)} ms, floor ${fmt(seq.floor.p50)} ms`);
    log(`${RATE} req/s, ABBA blocks of ${BLOCK_S} s …`);
    const fixed = await abba(BLOCK_S, RATE);
    log(`  p99 gateway ${fmt(fixed.gateway.p99)} ms, floor ${fmt(fixed.floor.p99)} ms`);
    log('flat out, ABBA …');
    const max = await abba(BLOCK_S);
    log('cost of one POST: Redis commands, NATS messages, CPU, MONITOR …');
    const cost = await costPerPost(redis, gateway.pid, floor.pid, () => validations);
    const profN = Number(process.env.BENCH_INTAKE_PROFILE_N ?? 1000);
    log(`CPU profile of the gateway over ${profN} sequential POSTs …`);
    const prof = summarizeProfile(await cpuProfile(await gateway.inspector, async () => { for (let i = 0; i < profN; i++) await post(PORT, body(i)); }));
    log('intake → command receipt …');
    const receipt = await intakeToReceipt();
    const md = report({ js, ask, bull, seq, fixed, max, receipt, cost, prof, profN, load: loadavg().map((x) => x.toFixed(2)).join(', ') });
    writeFileSync(RESULTS, md);
    console.log(md);
  } finally {
    gateway.stop();
    floor.stop();
    candidate?.stop();
    await deployerNc.drain();
    await cleanFloorKeys(redis);
    redis.disconnect();
  }
}

async function cleanFloorKeys(redis: Redis): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', 'bench:floor:*', 'COUNT', 1000);
    if (keys.length) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}

void main().then(() => { if (process.argv[2] !== 'floor') process.exit(0); }, (e) => { console.error(e); process.exit(1); });
