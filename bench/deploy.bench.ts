/**
 * Deploying through Bosun vs. the same server-side applies made directly, in one run against
 * the same local apiserver (`.bosun/testenv.json`), plus 500 rollouts tracked at once:
 *  - direct: SSA of distinct small Deployments (replicas 0) as a keep-alive HTTPS PATCH and with
 *    client-node's KubernetesObjectApi.patch — sequential latency and throughput with 20 in flight;
 *  - Bosun: the gateway and the deployer as processes, `POST /v1/deployments` → the operation's
 *    SSE stream → `succeeded`, sequential and with 20 in flight;
 *  - a Deployment watch in this process timestamps when each Deployment becomes visible and when
 *    the Deployment controller first reports on it (what a replicas-0 rollout waits for);
 *  - 40 deploys at once: the deployer's TCP connections to the apiserver (goal ≤ 4 per cluster);
 *  - deploys into namespaces that do not exist: 202 → \`failed\` (goal ≤ 50 ms), beside the apiserver's own refusal;
 *  - 500 deploys submitted at once: time until all succeeded, the deployer's connections to the
 *    apiserver, the apiserver's WATCH gauge, the deployer's memory and CPU.
 * Writes bench/results/deploy.md and prints it. Needs NATS_URL, REDIS_URL (scripts/bench.sh) and
 * the local control plane (`npm run testenv:up`).
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { pingSubject } from '@bosun/contracts';
import type { PingReply } from '@bosun/contracts';
import { ClientNodeKubeAdapter } from '@bosun/kube';
import { createLogger } from '@bosun/logging';
import { connectNats, QueryClient } from '@bosun/messaging';
import type { NatsConnection } from '@bosun/messaging';
import { TEST_ENCRYPTION_KEY, testNatsAuth } from '@bosun/testing';
import { BosunApi } from './deploy/bosun';
import { connectionsUnderLoad, finalFailures } from './deploy/extras';
import type { ConnectionFigure, FinalFailureFigure } from './deploy/extras';
import { dropStaleWork } from './services/common';
import type { Terminal } from './deploy/bosun';
import { DeploymentWatch, Kube, loadTestenv, manifestFor } from './deploy/cluster';
import { App, connectionsTo, CpuMeter, cpuSeconds, freePort, memoryMiB, pidFrom } from './deploy/processes';
import { fmt, nowMs, summarize } from './stats';

const root = join(__dirname, '..', '..');
const logger = createLogger('bench', 'silent');
const NATS_URL = process.env.NATS_URL;
const REDIS_URL = process.env.REDIS_URL;
const N = Number(process.env.BENCH_DEPLOY_N ?? 200);
const N_COMPLETE = Number(process.env.BENCH_DEPLOY_N_COMPLETE ?? 100);
const CONCURRENCY = Number(process.env.BENCH_DEPLOY_CONCURRENCY ?? 20);
const ROLLOUTS = Number(process.env.BENCH_DEPLOY_ROLLOUTS ?? 500);
const AT_ONCE = Number(process.env.BENCH_DEPLOY_AT_ONCE ?? 40);
const FAILURES = Number(process.env.BENCH_DEPLOY_FAILURES ?? 20);
const TOKEN = `bench-deploy-admin-${Math.random().toString(36).slice(2)}-0123456789`;
const OP_TIMEOUT_MS = 240_000;

const log = (msg: string): void => console.log(`[bench:deploy] ${msg}`);

let meter: CpuMeter | undefined;
/** Per phase: wall seconds and the cores each process kept busy on average (CPU seconds / wall seconds). */
const cpuRows: { what: string; wallS: number; cores: Record<string, number> }[] = [];

/** Runs a phase and books the CPU of each process over it, or up to `mark()` (the end of a throughput window). */
async function metered<T>(what: string, run: (mark: () => void) => Promise<T>): Promise<T> {
  const c0 = meter?.snapshot();
  const t0 = nowMs();
  let end: { c?: Record<string, number>; t: number } | undefined;
  const mark = (): void => { end ??= { c: meter?.snapshot(), t: nowMs() }; };
  const r = await run(mark);
  mark();
  const wallS = (end!.t - t0) / 1000;
  if (c0 && end?.c) {
    const used = CpuMeter.diff(c0, end.c);
    cpuRows.push({ what, wallS, cores: Object.fromEntries(Object.entries(used).map(([k, v]) => [k, v / wallS])) });
  }
  return r;
}

/** Logs what runs, then how long it took, its p50s and the cores each process kept busy. */
async function step(what: string, run: (mark: () => void) => Promise<Samples>): Promise<Samples> {
  log(`${what} …`);
  const t0 = nowMs();
  const s = await metered(what, run);
  const p = (xs: number[]): string => (xs.length ? fmt(summarize(xs, 1).p50) : '—');
  const cpu = cpuRows[cpuRows.length - 1];
  const busy = cpu ? Object.entries(cpu.cores).map(([k, v]) => `${k} ${fmt(v)}`).join(', ') : '';
  log(`  ${fmt((nowMs() - t0) / 1000, 1)} s; p50 answered ${p(s.answered)}, visible ${p(s.visible)}, complete ${p(s.complete)} ms${s.failures.length ? `; ${s.failures.length} failed` : ''}; cores busy: ${busy}`);
  return s;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms); })]).finally(() => clearTimeout(timer));
}

/** Runs `fn(0..n-1)` with at most `concurrency` in flight; resolves with the elapsed ms. */
async function pool(n: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<number> {
  const t0 = nowMs();
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, concurrency) }, async () => {
    while (next < n) await fn(next++);
  }));
  return nowMs() - t0;
}

interface Samples { answered: number[]; visible: number[]; complete: number[]; elapsedMs: number; failures: string[] }
const samples = (): Samples => ({ answered: [], visible: [], complete: [], elapsedMs: 0, failures: [] });

interface Ctx { kube: Kube; adapter: ClientNodeKubeAdapter; watch: DeploymentWatch; api: BosunApi; ns: string; directNs: string }

// ---------- direct ----------

type Apply = (m: ReturnType<typeof manifestFor>) => Promise<unknown>;

/** One direct apply: answer, visibility to a watcher and (optionally) the controller's first status. */
async function directOnce(ctx: Ctx, apply: Apply, name: string, s: Samples, waitComplete: boolean): Promise<void> {
  const manifest = manifestFor(ctx.directNs, name, 0);
  const t0 = nowMs();
  await apply(manifest);
  s.answered.push(nowMs() - t0);
  const seen = ctx.watch.visible(ctx.directNs, name);
  if (waitComplete) {
    s.complete.push((await withTimeout(ctx.watch.controllerObserved(ctx.directNs, name), OP_TIMEOUT_MS, `controller status of ${name}`)) - t0);
  }
  s.visible.push((await withTimeout(seen, 30_000, `watch event of ${name}`)) - t0);
}

async function directSequential(ctx: Ctx, apply: Apply, prefix: string, n: number, waitComplete: boolean): Promise<Samples> {
  const s = samples();
  const t0 = nowMs();
  for (let i = 0; i < n; i++) await directOnce(ctx, apply, `${prefix}-${i}`, s, waitComplete);
  s.elapsedMs = nowMs() - t0;
  return s;
}

async function directConcurrent(ctx: Ctx, apply: Apply, prefix: string, n: number, waitComplete: boolean): Promise<Samples> {
  const s = samples();
  s.elapsedMs = await pool(n, CONCURRENCY, (i) => directOnce(ctx, apply, `${prefix}-${i}`, s, waitComplete));
  return s;
}

// ---------- the deployer's Kubernetes client, in this process ----------

/**
 * What one deploy costs the deployer in Kubernetes calls (a GET, then the SSA, impersonating
 * `admin` in `system:masters`), made with the deployer's own adapter (@bosun/kube) vs the same two
 * calls over the keep-alive agent. Isolates the client from the queueing around it.
 */
async function getThenApply(ctx: Ctx, viaAdapter: boolean, prefix: string, n: number, concurrency: number): Promise<Samples> {
  const s = samples();
  const as = { user: 'admin', groups: ['system:masters'] };
  s.elapsedMs = await pool(n, concurrency, async (i) => {
    const name = `${prefix}-${i}`;
    const manifest = manifestFor(ctx.directNs, name, 0);
    const t0 = nowMs();
    if (viaAdapter) {
      await ctx.adapter.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ctx.directNs, name }, { as });
      await ctx.adapter.apply(manifest as never, { as, force: true });
    } else {
      await ctx.kube.request('GET', `/apis/apps/v1/namespaces/${ctx.directNs}/deployments/${name}`);
      await ctx.kube.applyHttps(manifest);
    }
    s.answered.push(nowMs() - t0);
  });
  return s;
}

// ---------- Bosun ----------

interface BosunOp { name: string; t0: number; answered?: number; visible?: number; terminal?: Terminal }

/** POST → 202, then the Deployment's watch event and the operation's terminal state (SSE). */
function bosunStart(ctx: Ctx, name: string, replicas: number): { op: BosunOp; accepted: Promise<void>; visible: Promise<void>; done: Promise<void> } {
  const op: BosunOp = { name, t0: nowMs() };
  const accepted = ctx.api.deploy(ctx.ns, name, replicas).then((r) => { op.answered = r.acceptedAt - op.t0; return r.id; });
  const done = accepted.then((id) => ctx.api.terminal(id, OP_TIMEOUT_MS)).then((t) => { op.terminal = t; });
  const seen = ctx.watch.visible(ctx.ns, name).then((t) => { op.visible = t - op.t0; });
  // A failed operation may never make its Deployment visible: whichever comes first, then give the watch a moment.
  const visible = Promise.race([seen, done]).then(() => withTimeout(seen, 10_000, `watch event of ${name}`)).catch(() => undefined);
  return { op, accepted: accepted.then(() => undefined), visible, done };
}

function record(s: Samples, ops: BosunOp[], terminal = true): void {
  for (const op of ops) {
    if (op.answered !== undefined) s.answered.push(op.answered);
    if (op.visible !== undefined) s.visible.push(op.visible);
    if (!terminal) continue;
    if (op.terminal?.status === 'succeeded') s.complete.push(op.terminal.at - op.t0);
    else s.failures.push(`${op.name}: ${op.terminal?.status ?? 'no terminal state'} ${op.terminal?.error?.code ?? ''} ${op.terminal?.error?.message ?? ''}`.trim());
  }
}

async function bosunSequential(ctx: Ctx, prefix: string, n: number): Promise<Samples> {
  const s = samples();
  const ops: BosunOp[] = [];
  const t0 = nowMs();
  for (let i = 0; i < n; i++) {
    const o = bosunStart(ctx, `${prefix}-${i}`, 0);
    ops.push(o.op);
    await Promise.all([o.done, o.visible]);
  }
  s.elapsedMs = nowMs() - t0;
  record(s, ops);
  return s;
}

/**
 * 20 in flight, each slot freed when its Deployment is visible (`visible`) or its operation is
 * terminal (`done`). After a `visible` run the controller is far behind on its Deployments (it
 * completes ~5 per second): they are deleted, so their operations end at once (NotFound, not
 * counted) instead of leaving a backlog for the next phase.
 */
async function bosunConcurrent(ctx: Ctx, prefix: string, n: number, gate: 'visible' | 'done', mark: () => void): Promise<Samples> {
  const s = samples();
  const ops: BosunOp[] = [];
  const dones: Promise<void>[] = [];
  s.elapsedMs = await pool(n, CONCURRENCY, async (i) => {
    const o = bosunStart(ctx, `${prefix}-${i}`, 0);
    ops.push(o.op);
    dones.push(o.done);
    await (gate === 'visible' ? o.visible : Promise.all([o.done, o.visible]));
  });
  mark();
  if (gate === 'visible') await ctx.kube.deleteDeployments(ctx.ns);
  await Promise.all(dones);
  record(s, ops, gate === 'done');
  return s;
}

// ---------- 500 rollouts ----------

interface RolloutResult {
  n: number; withPods: number; allAcceptedS: number; allVisibleS: number; allDoneS: number; succeeded: number; failures: string[];
  peakTracked: number; connIdle: number; connPeak: number; connKept: number; connSamples: number;
  gaugeBefore: { deploymentsAndReplicaSets: number; all: number }; gaugeIdle: { deploymentsAndReplicaSets: number; all: number }; gaugePeak: { deploymentsAndReplicaSets: number; all: number };
  rssIdle: number; rssPeakSampled: number; rssHwm: number; cpuS: number; gatewayRssPeak: number; slots: { capacity: number; used: number; free: number };
}

async function deployerTracking(nc: NatsConnection): Promise<number | undefined> {
  const reply = await new QueryClient(nc).request<PingReply>(pingSubject('deployer'), { cluster: 'default', params: {} }, 2000);
  if (!reply.ok) return undefined;
  const detail = Object.entries(reply.value.health).find(([k]) => k === 'rollout-informers')?.[1]?.detail ?? '';
  const m = /tracking (\d+) deployments/.exec(detail);
  return m ? Number(m[1]) : undefined;
}

async function manyRollouts(ctx: Ctx, deployer: App, gateway: App, nc: NatsConnection, gaugeBefore: RolloutResult['gaugeBefore']): Promise<RolloutResult> {
  const port = ctx.kube.env.port;
  const slots = await ctx.kube.freePodSlots();
  // Replicas 1 only where the fake nodes have room (3 × 110 pods), the rest replicas 0: a pod that
  // cannot be scheduled would keep its rollout waiting for the progress deadline.
  const withPods = Math.max(0, Math.min(ROLLOUTS, slots.free - 20));
  const idleSet = new Set(connectionsTo(deployer.pid, port));
  const gaugeIdle = await ctx.kube.watchGauge();
  const rssIdle = memoryMiB(deployer.pid).rss;
  const cpu0 = cpuSeconds(deployer.pid);
  let connPeak = idleSet.size;
  let kept = new Set(idleSet);
  let connSamples = 0;
  let rssPeakSampled = rssIdle;
  let gatewayRssPeak = memoryMiB(gateway.pid).rss;
  let peakTracked = 0;
  const gaugePeak = { ...gaugeIdle };
  let sampling = true;
  const fast = (async () => {
    while (sampling) {
      try {
        const now = connectionsTo(deployer.pid, port);
        connSamples++;
        connPeak = Math.max(connPeak, now.length);
        kept = new Set(now.filter((p) => kept.has(p)));
        rssPeakSampled = Math.max(rssPeakSampled, memoryMiB(deployer.pid).rss);
        gatewayRssPeak = Math.max(gatewayRssPeak, memoryMiB(gateway.pid).rss);
        peakTracked = Math.max(peakTracked, (await deployerTracking(nc)) ?? 0);
      } catch { /* process gone: reported elsewhere */ }
      await sleep(250);
    }
  })();
  const slow = (async () => {
    while (sampling) {
      const g = await ctx.kube.watchGauge().catch(() => undefined);
      if (g) { gaugePeak.deploymentsAndReplicaSets = Math.max(gaugePeak.deploymentsAndReplicaSets, g.deploymentsAndReplicaSets); gaugePeak.all = Math.max(gaugePeak.all, g.all); }
      await sleep(3000);
    }
  })();

  const t0 = nowMs();
  // "At once": every POST issued together (the gateway answers ~1000/s), each followed by its SSE stream.
  const all = Array.from({ length: ROLLOUTS }, (_, i) => bosunStart(ctx, `r-${i}`, i < withPods ? 1 : 0));
  await Promise.all(all.map((s) => s.accepted.catch(() => undefined)));
  const allAcceptedS = (nowMs() - t0) / 1000;
  log(`  all ${ROLLOUTS} accepted after ${fmt(allAcceptedS)} s`);
  let lastVisible = 0;
  await Promise.all(all.map((s) => s.visible.then(() => { lastVisible = Math.max(lastVisible, nowMs()); })));
  const allVisibleS = (lastVisible - t0) / 1000;
  log(`  all visible in the cluster after ${fmt(allVisibleS)} s`);
  await Promise.all(all.map((s) => s.done.catch(() => undefined)));
  const allDoneS = (Math.max(...all.map((s) => s.op.terminal?.at ?? nowMs())) - t0) / 1000;
  sampling = false;
  await Promise.all([fast, slow]);
  const cpuS = cpuSeconds(deployer.pid) - cpu0;
  const rssHwm = memoryMiB(deployer.pid).peak;
  const failures = all.filter((s) => s.op.terminal?.status !== 'succeeded').map((s) => `${s.op.name}: ${s.op.terminal?.status ?? 'none'} ${s.op.terminal?.error?.code ?? ''} ${s.op.terminal?.error?.message ?? ''}`.trim());
  return {
    n: ROLLOUTS, withPods, allAcceptedS, allVisibleS, allDoneS, succeeded: ROLLOUTS - failures.length, failures, peakTracked,
    connIdle: idleSet.size, connPeak, connKept: kept.size, connSamples, gaugeBefore, gaugeIdle, gaugePeak, rssIdle, rssPeakSampled, rssHwm, cpuS, gatewayRssPeak, slots,
  };
}

// ---------- set-up ----------

async function waitReady(api: BosunApi, deployer: App, gateway: App): Promise<void> {
  const deadline = Date.now() + 60_000;
  let last = '';
  while (Date.now() < deadline) {
    if (!deployer.alive || !gateway.alive) break;
    const res = await fetch(`${api.url}/readyz`).catch(() => undefined);
    if (res) {
      const body = (await res.json().catch(() => ({}))) as { errors?: { path: string; message: string }[] };
      const down = (body.errors ?? []).filter((e) => e.path === 'deployer' || e.path === 'cluster' || e.path === 'nats' || e.path === 'redis');
      if (res.ok || !down.length) return;
      last = down.map((e) => `${e.path}: ${e.message}`).join('; ');
    }
    await sleep(500);
  }
  throw new Error(`the deployer did not become ready (${last || 'process exited'})\n--- deployer ---\n${deployer.tail()}\n--- gateway ---\n${gateway.tail()}`);
}

// ---------- report ----------

function manySection(many: RolloutResult): string {
  return `## ${many.n} rollouts tracked at once

${many.n} \`POST /v1/deployments\` issued together (${many.withPods} with replicas 1 on the kwok nodes, ${many.n - many.withPods} with replicas 0: the nodes had
${many.slots.free} of ${many.slots.capacity} pod slots free, and a pod that cannot be scheduled would hold its rollout until the progress deadline),
each followed by its operation's SSE stream; sampled every 250 ms (apiserver metrics every 3 s).

| measurement | value |
|---|---|
| all ${many.n} answered 202 after | ${fmt(many.allAcceptedS)} s |
| all ${many.n} Deployments visible in the cluster after | ${fmt(many.allVisibleS)} s |
| all operations terminal after | **${fmt(many.allDoneS)} s** (${many.succeeded} succeeded${many.failures.length ? `, ${many.failures.length} not: ${many.failures.slice(0, 3).join('; ')}` : ''}) |
| most rollouts the deployer reported tracking at once (ping: \`tracking N deployments\`) | ${many.peakTracked} |
| deployer's established TCP connections to the apiserver (/proc, like \`ss -tnp\`): idle → peak | ${many.connIdle} → **${many.connPeak}** (${many.connKept} of the idle ones open through all ${many.connSamples} samples: it carries the informers' watches too; connections are per cluster, and a cluster added earlier and kept in Redis that the deployer reads — its health check describes the first name — has its own) |
| apiserver \`apiserver_longrunning_requests{verb="WATCH"}\`, apps deployments+replicasets, every client of the apiserver (other test runs too): before the deployer → deployer idle → peak during | ${many.gaugeBefore.deploymentsAndReplicaSets} → ${many.gaugeIdle.deploymentsAndReplicaSets} → **${many.gaugePeak.deploymentsAndReplicaSets}** |
| the same gauge, all resources | ${many.gaugeBefore.all} → ${many.gaugeIdle.all} → ${many.gaugePeak.all} |
| deployer RSS: before → peak sampled (VmHWM since start) | ${fmt(many.rssIdle, 0)} MiB → **${fmt(many.rssPeakSampled, 0)} MiB** (${fmt(many.rssHwm, 0)} MiB) |
| deployer CPU during the ${many.n} rollouts | ${fmt(many.cpuS, 1)} s |
| gateway RSS peak (${many.n} SSE streams open) | ${fmt(many.gatewayRssPeak, 0)} MiB |

`;
}

function extrasSection(c: ConnectionFigure, f: FinalFailureFigure): string {
  const errors = f.errors.map((e) => e.replace(/bench-missing-[a-z0-9-]+/g, '…'));
  const kinds = [...new Set(errors)];
  return `## Connections per cluster and final failures

| measurement | value |
|---|---|
| deployer's established TCP connections to the apiserver (/proc) during ${c.deploys} deploys at once (replicas 0, each to \`succeeded\`, ${fmt(c.wallMs / 1000, 1)} s): idle → peak, and new ones seen | ${c.idle} → **${c.peak}**, ${c.opened} opened (${c.samples} samples every 10 ms; ${c.succeeded}/${c.deploys} succeeded; goal ≤ 4) |
| deploy into a namespace that does not exist: 202 → \`failed\` on the SSE stream, p50 / p99 (n ${f.acceptedToFailed.length}) | **${lat(f.acceptedToFailed).replace(' | ', ' / ')} ms** (goal ≤ 50 ms) |
| what they failed with | ${kinds.map((k) => `${k} (${errors.filter((e) => e === k).length})`).join('; ')} |
| the apiserver alone (keep-alive HTTPS): SSA into a missing namespace, p50 / p99 | ${lat(f.apiserverApply).replace(' | ', ' / ')} ms |
| the apiserver alone: GET of that namespace (404), p50 / p99 | ${lat(f.apiserverGetNamespace).replace(' | ', ' / ')} ms |

The apiserver refuses a create into a namespace that does not exist only after its NamespaceLifecycle admission has
waited \`missingNamespaceWait\` (50 ms, k8s.io/apiserver \`plugin/namespace/lifecycle\`) for its cache, so the deployer
reads the namespace first (a quorum GET as the operation's subject) when the Deployment does not exist yet, and fails
\`NotFound\` with the apiserver's words without sending the apply; one attempt, no retry (apps/deployer
\`deployment.failures.int.ts\` asserts it). The deployer's client keeps one connection per cluster for every request and
watch (HTTP/2, as client-go; @bosun/kube \`ApiConnection\`, \`kube.connection.int.ts\` counts them).

`;
}

function cpuTable(): string {
  if (!cpuRows.length) return '(not measured)';
  const names = Object.keys(cpuRows[0].cores);
  const head = `| phase | wall s | ${names.join(' | ')} | total |\n|---|---|${names.map(() => '---|').join('')}---|`;
  const rows = cpuRows.map((r) => `| ${r.what} | ${fmt(r.wallS, 1)} | ${names.map((n) => fmt(r.cores[n] ?? 0)).join(' | ')} | ${fmt(Object.values(r.cores).reduce((a, b) => a + b, 0))} |`);
  return [head, ...rows].join('\n');
}

const lat = (xs: number[]): string => {
  if (!xs.length) return '— | —';
  const s = summarize(xs, 1);
  return `${fmt(s.p50)} | ${fmt(s.p99)}`;
};
const rate = (n: number, ms: number): number => (n * 1000) / ms;
const p50 = (xs: number[]): number => summarize(xs, 1).p50;

async function main(): Promise<void> {
  if (!NATS_URL || !REDIS_URL) throw new Error('NATS_URL and REDIS_URL must be set (run it through scripts/bench.sh)');
  const env = loadTestenv(root);
  const kube = await Kube.connect(env);
  const runId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const ns = `bench-deploy-${runId}`;
  const directNs = `bench-deploy-${runId}-direct`;
  const nc = await connectNats(NATS_URL, 'bench-deploy', logger, testNatsAuth('gateway'));
  const purged = await dropStaleWork(nc, 'deployer');
  log(`cluster ${env.apiserver}; namespaces ${ns}, ${directNs}; dropped ${purged} stale deployer commands from earlier benches`);
  await kube.createNamespace(ns);
  await kube.createNamespace(directNs);
  const watch = new DeploymentWatch(kube.kc, [ns, directNs]);
  await watch.start();
  const gaugeBefore = await kube.watchGauge();

  const port = await freePort();
  const appEnv: Record<string, string> = {
    ...(process.env as Record<string, string>),
    NATS_URL, REDIS_URL, BOSUN_KUBECONFIG: env.kubeconfig, BOSUN_GATEWAY_PORT: String(port), BOSUN_ADMIN_TOKEN: TOKEN,
    BOSUN_RATE_LIMIT_PER_MINUTE: '0', BOSUN_ROLLOUT_TIMEOUT_SECONDS: String(OP_TIMEOUT_MS / 1000), LOG_LEVEL: 'warn',
    // The gateway seals env values and the deployer keeps clusters encrypted; metrics on a free port (a running `npm run up` holds 9102).
    BOSUN_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, BOSUN_METRICS_PORT: '0',
  };
  const gateway = App.start(root, 'gateway', appEnv);
  const deployer = App.start(root, 'deployer', appEnv);
  const api = new BosunApi(`http://127.0.0.1:${port}`, TOKEN);
  const ctx: Ctx = { kube, adapter: new ClientNodeKubeAdapter({ kubeConfig: kube.kc, cluster: 'default' }), watch, api, ns, directNs };
  const https: Apply = (m) => kube.applyHttps(m);
  const clientNode: Apply = (m) => kube.applyClientNode(m);
  const t0 = nowMs();
  try {
    await waitReady(api, deployer, gateway);
    log(`gateway (pid ${gateway.pid}) and deployer (pid ${deployer.pid}) ready`);
    const pids = (dir: string, names: string[]): Record<string, number | undefined> => Object.fromEntries(names.map((n) => [n, pidFrom(join(dir, `${n}.pid`))]));
    meter = new CpuMeter({
      gateway: gateway.pid, deployer: deployer.pid, bench: process.pid,
      ...pids(join(root, '.bosun', process.env.BOSUN_TEST_STATE ?? 'bench'), ['nats', 'redis']),
      ...pids(join(env.stateDir, 'pids'), ['kube-apiserver', 'etcd', 'kube-controller-manager', 'kube-scheduler', 'kwok']),
    });

    log('warm-up: 20 + 10 direct applies, 10 Bosun deploys …');
    await directSequential(ctx, https, 'warm-https', 20, false);
    await directSequential(ctx, clientNode, 'warm-cn', 10, false);
    await bosunSequential(ctx, 'warm', 10);

    const httpsSeq = await step(`direct SSA over keep-alive HTTPS, sequential (${N_COMPLETE}, each waiting for the controller's status)`, () => directSequential(ctx, https, 'https-seq', N_COMPLETE, true));
    const httpsSeqFast = await step(`direct SSA over keep-alive HTTPS, sequential (${N})`, () => directSequential(ctx, https, 'https-seqf', N, false));
    const httpsCon = await step(`direct SSA over keep-alive HTTPS, ${CONCURRENCY} in flight (${N})`, () => directConcurrent(ctx, https, 'https-con', N, false));
    const cnSeq = await step(`direct SSA with client-node KubernetesObjectApi.patch, sequential (${N})`, () => directSequential(ctx, clientNode, 'cn-seq', N, false));
    const cnCon = await step(`direct SSA with client-node KubernetesObjectApi.patch, ${CONCURRENCY} in flight (${N})`, () => directConcurrent(ctx, clientNode, 'cn-con', N, false));
    const adapterSeq = await step(`the deployer's Kubernetes adapter: GET + SSA, sequential (${N_COMPLETE})`, () => getThenApply(ctx, true, 'ad-seq', N_COMPLETE, 1));
    const adapterCon = await step(`the deployer's Kubernetes adapter: GET + SSA, ${CONCURRENCY} in flight (${N})`, () => getThenApply(ctx, true, 'ad-con', N, CONCURRENCY));
    const kaSeq = await step(`keep-alive HTTPS: GET + SSA, sequential (${N_COMPLETE})`, () => getThenApply(ctx, false, 'ka-seq', N_COMPLETE, 1));
    const kaCon = await step(`keep-alive HTTPS: GET + SSA, ${CONCURRENCY} in flight (${N})`, () => getThenApply(ctx, false, 'ka-con', N, CONCURRENCY));
    // The Deployment controller (20 QPS client) is now far behind on these; deleting them turns its backlog into no-ops.
    await kube.deleteDeployments(directNs);
    await sleep(2000);
    const httpsConComplete = await step(`direct SSA over keep-alive HTTPS + wait for the controller's status, ${CONCURRENCY} in flight (${N_COMPLETE})`, () => directConcurrent(ctx, https, 'https-conc', N_COMPLETE, true));

    const bosunSeq = await step(`Bosun POST /v1/deployments → succeeded, sequential (${N_COMPLETE})`, () => bosunSequential(ctx, 'seq', N_COMPLETE));
    const bosunConVisible = await step(`Bosun, ${CONCURRENCY} in flight until the Deployment is visible (${N})`, (mark) => bosunConcurrent(ctx, 'conv', N, 'visible', mark));
    const visibleCpu = cpuRows[cpuRows.length - 1];
    const bosunConDone = await step(`Bosun, ${CONCURRENCY} in flight until the operation succeeded (${N_COMPLETE})`, (mark) => bosunConcurrent(ctx, 'cond', N_COMPLETE, 'done', mark));

    log(`${AT_ONCE} deploys at once, the deployer's connections to the apiserver sampled …`);
    const conns = await metered(`${AT_ONCE} deploys at once → succeeded`, () => connectionsUnderLoad(api, kube, deployer, ns, 'conn', AT_ONCE));
    log(`  connections idle ${conns.idle}, peak ${conns.peak}, opened ${conns.opened} (${conns.samples} samples); ${conns.succeeded}/${conns.deploys} succeeded`);
    log(`${FAILURES} deploys into namespaces that do not exist …`);
    const fails = await finalFailures(api, kube, FAILURES);
    log(`  202 → failed p50 ${fmt(p50(fails.acceptedToFailed))} ms (${fails.errors[0]})`);

    await kube.deleteDeployments(directNs);
    await sleep(3000);
    if (ROLLOUTS > 0) log(`${ROLLOUTS} deploys submitted at once …`);
    const many = ROLLOUTS > 0 ? await metered(`${ROLLOUTS} rollouts at once`, () => manyRollouts(ctx, deployer, gateway, nc, gaugeBefore)) : undefined;
    const totalS = (nowMs() - t0) / 1000;

    const row = (what: string, s: Samples, throughput: string): string =>
      `| ${what} | ${s.answered.length} | ${lat(s.answered)} | ${lat(s.visible)} | ${lat(s.complete)} | ${throughput} |`;
    const visibleRate = (s: Samples): number => rate(s.visible.length, s.elapsedMs);
    const bosunVisibleRate = visibleRate(bosunConVisible);
    const bosunDoneRate = rate(bosunConDone.complete.length, bosunConDone.elapsedMs);
    const directRate = rate(httpsCon.answered.length, httpsCon.elapsedMs);
    const directCompleteRate = rate(httpsConComplete.complete.length, httpsConComplete.elapsedMs);
    const cnRate = rate(cnCon.answered.length, cnCon.elapsedMs);
    const addedVisible = p50(bosunSeq.visible) - p50(httpsSeqFast.visible);
    const bosunCores = ['gateway', 'deployer', 'nats', 'redis'].reduce((n, k) => n + (visibleCpu?.cores[k] ?? 0), 0);
    const failures = [...bosunSeq.failures, ...bosunConVisible.failures, ...bosunConDone.failures];
    const load = loadavg().map((x) => x.toFixed(2)).join(', ');

    const md = `# Deploy benchmark

Run: ${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores (load average at the end: ${load}), loopback NATS (JetStream, file storage) and Redis (AOF),
local control plane ${env.apiserver} (kube-apiserver + etcd + kube-controller-manager + kube-scheduler + kwok, all on the same 2 cores).
Command: \`npm run bench\` (\`node dist/bench/deploy.bench.js\`, ${fmt(totalS, 0)} s). Deployments: \`nginx:1.27\`, **replicas 0** in the
comparison (no pods, so kwok and the scheduler are not involved), the manifest Bosun's deployer builds (\`buildDeploymentManifest\`), fresh namespaces deleted at the end.

"answered" = the apiserver's PATCH response (direct) or the gateway's 202 (Bosun). "visible" = the Deployment's first watch
event in this process. "complete" = with replicas 0 a rollout is complete as soon as the Deployment controller reports
\`status.observedGeneration\` for it: for direct applies the watch event carrying it, for Bosun the operation's
\`succeeded\` on its SSE stream (\`GET /v1/operations/{id}/events\`). All times from the start of the request, in ms.
Throughput = n / wall time, with a slot freed when the Deployment is visible ("visible") or its rollout complete ("complete", "succeeded").

| path | n | answered p50 | p99 | visible p50 | p99 | complete p50 | p99 | throughput /s |
|---|---|---|---|---|---|---|---|---|
${row('direct SSA, keep-alive HTTPS PATCH, sequential', httpsSeqFast, `${fmt(rate(N, httpsSeqFast.elapsedMs), 0)} visible`)}
${row('direct SSA, keep-alive HTTPS PATCH, sequential, each waiting for complete', httpsSeq, `${fmt(rate(httpsSeq.complete.length, httpsSeq.elapsedMs), 1)} complete`)}
${row(`direct SSA, keep-alive HTTPS PATCH, ${CONCURRENCY} in flight`, httpsCon, `**${fmt(directRate, 0)}** visible`)}
${row(`direct SSA, keep-alive HTTPS PATCH, ${CONCURRENCY} in flight until complete`, httpsConComplete, `**${fmt(directCompleteRate, 1)}** complete`)}
${row('direct SSA, client-node `KubernetesObjectApi.patch`, sequential', cnSeq, `${fmt(rate(N, cnSeq.elapsedMs), 0)} visible`)}
${row(`direct SSA, client-node \`KubernetesObjectApi.patch\`, ${CONCURRENCY} in flight`, cnCon, `**${fmt(cnRate, 0)}** visible`)}
${row('Bosun POST /v1/deployments, sequential, each waiting for succeeded', bosunSeq, `${fmt(rate(bosunSeq.complete.length, bosunSeq.elapsedMs), 1)} succeeded`)}
${row(`Bosun, ${CONCURRENCY} in flight until visible`, bosunConVisible, `**${fmt(bosunVisibleRate, 0)}** visible`)}
${row(`Bosun, ${CONCURRENCY} in flight until succeeded`, bosunConDone, `**${fmt(bosunDoneRate, 1)}** succeeded`)}

Ratios (goal: throughput ≥ 0.8, added p50 ≤ 5 ms):
- throughput, ${CONCURRENCY} in flight, apply visible: Bosun / direct keep-alive HTTPS = **${fmt(bosunVisibleRate / directRate)}** (${fmt(bosunVisibleRate, 0)} / ${fmt(directRate, 0)} per s); Bosun / client-node = **${fmt(bosunVisibleRate / cnRate)}** (${fmt(bosunVisibleRate, 0)} / ${fmt(cnRate, 0)})
- throughput, ${CONCURRENCY} in flight, rollout complete: Bosun / direct keep-alive HTTPS + controller = **${fmt(bosunDoneRate / directCompleteRate)}** (${fmt(bosunDoneRate, 1)} / ${fmt(directCompleteRate, 1)} per s)
- added p50 latency, sequential, until visible: Bosun − direct keep-alive HTTPS = **${fmt(addedVisible)} ms**; Bosun − client-node = **${fmt(p50(bosunSeq.visible) - p50(cnSeq.visible))} ms**
- added p50 latency, sequential, until complete: Bosun − direct keep-alive HTTPS = **${fmt(p50(bosunSeq.complete) - p50(httpsSeq.complete))} ms**
${failures.length ? `- operations that did not succeed: ${failures.length} (first: ${failures.slice(0, 3).join('; ')})\n` : ''}
The deployer's Kubernetes calls for one deploy (GET, then SSA, impersonating \`admin\`), made in this process:

| client | n | p50 ms | p99 ms | n (${CONCURRENCY} in flight) | p50 ms | p99 ms | throughput /s |
|---|---|---|---|---|---|---|---|
| the deployer's adapter (@bosun/kube \`ClientNodeKubeAdapter\`) | ${adapterSeq.answered.length} | ${lat(adapterSeq.answered)} | ${adapterCon.answered.length} | ${lat(adapterCon.answered)} | ${fmt(rate(adapterCon.answered.length, adapterCon.elapsedMs), 0)} |
| keep-alive HTTPS | ${kaSeq.answered.length} | ${lat(kaSeq.answered)} | ${kaCon.answered.length} | ${lat(kaCon.answered)} | ${fmt(rate(kaCon.answered.length, kaCon.elapsedMs), 0)} |

${extrasSection(conns, fails)}
${many ? manySection(many) : ''}## Where the CPU went (average cores busy per phase; the machine has ${cpus().length})

${cpuTable()}

Notes:
- What each path includes. Direct: one SSA request (the keep-alive rows reuse TLS connections; client-node 2.0.1 builds a new
  undici Agent per call, so every \`KubernetesObjectApi.patch\` opens a fresh TLS connection with the client certificate). Bosun:
  HTTP intake (auth, validation, the deployer's \`validate\` query over NATS, Redis writes, audit, JetStream publish-ack), the
  deployer's command consumer, a BullMQ job, a \`started\` event, a GET and the SSA of the Deployment impersonating \`admin\`,
  tracking on the shared informers, the \`succeeded\` event on JetStream, the gateway folding it into Redis and the SSE push.
- "complete" is paced by kube-controller-manager, not by either client: it runs with its default client rate limit (20 QPS,
  burst 30) and writes at least twice per new Deployment (ReplicaSet, status). The direct row that waits for the controller
  reached ${fmt(directCompleteRate, 1)} complete/s and the sequential one ${fmt(p50(httpsSeq.complete), 0)} ms p50; that is the ceiling for Bosun's
  \`succeeded\` too, and why ${ROLLOUTS} rollouts take minutes. Compare Bosun's "until succeeded" rows with those direct rows.
- The direct rows that do not wait leave the controller far behind; their Deployments are deleted before the next phase, and so
  are the Deployments of Bosun's "until visible" row (its operations then end NotFound and are not counted), so every
  "complete" row starts with an idle controller.
- Where Bosun's sequential latency until visible goes: it adds ${fmt(addedVisible)} ms p50. The deployer's adapter takes
  ${fmt(p50(adapterSeq.answered))} ms p50 for its GET + SSA (over its one HTTP/2 connection) against ${fmt(p50(kaSeq.answered))} ms for a keep-alive HTTP/1.1 client
  making the same two calls. The rest is the GET itself, intake, NATS, BullMQ and the \`started\` event.
- In the "${CONCURRENCY} in flight until visible" window Bosun's own processes (gateway, deployer, NATS, Redis) kept ${fmt(bosunCores)} cores busy,
  ~${fmt((bosunCores * 1000) / bosunVisibleRate, 1)} ms of CPU per deploy, beside the apiserver's ${fmt(visibleCpu?.cores['kube-apiserver'] ?? 0)} cores; all processes measured here together
  ${fmt(Object.values(visibleCpu?.cores ?? {}).reduce((x, y) => x + y, 0))} of 2 cores (load from other test runs on the machine is not in the table).
- The machine has 2 cores shared by the apiserver, etcd, the controllers, NATS, Redis, both Bosun processes and this bench,
  and other test runs may have been active (load average above; "Where the CPU went" shows what this run's processes used):
  absolute numbers are noisy, ratios within one run less so.
`;
    writeFileSync(join(root, 'bench/results/deploy.md'), md);
    console.log(md);
    if (many?.failures.length || failures.length) {
      console.log(`--- deployer log tail ---\n${deployer.tail(20)}`);
    }
  } finally {
    watch.stop();
    await Promise.all([gateway.stop(), deployer.stop()]);
    await Promise.all([kube.deleteNamespace(ns), kube.deleteNamespace(directNs)]).catch(() => undefined);
    // Let the namespaces go (their pods free the kwok nodes for whatever runs next), but do not hang on it.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !((await kube.namespaceGone(ns).catch(() => true)) && (await kube.namespaceGone(directNs).catch(() => true)))) await sleep(1000);
    kube.close();
    await nc.drain().catch(() => undefined);
  }
}

void main().then(() => process.exit(0), (e) => { console.error(`[bench:deploy] FAILED: ${(e as Error).stack ?? e}`); process.exit(1); });
