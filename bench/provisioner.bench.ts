/**
 * The provisioner on the local control plane, beside its floor, in one run:
 *  - tenant creation end to end (a `provisioner.tenant-create` JetStream command as the gateway
 *    publishes it → the service booted in-process with `createServiceApp` → `succeeded`), 50
 *    tenants, each beside the same objects (`buildTenantManifests` → `tenantApplyOrder`) applied
 *    directly with the kube port (`ClusterRegistry`), interleaved tenant by tenant;
 *  - drain of a kwok node holding 100 pods of a Deployment (no PDBs) through the provisioner's
 *    `node-drain` operation, beside `kubectl drain --ignore-daemonsets --delete-emptydir-data` of a
 *    second identical setup, then the same the other way round (each drain sends its pods back to
 *    the node they came from), so each path goes first once.
 * Nodes are the bench's own (tainted, in a pool only its pods select). Writes
 * bench/results/provisioner.md and prints it. Needs NATS_URL, REDIS_URL and the local control
 * plane; deletes its namespaces and nodes in `finally`.
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { operationEventSubject, tenantCreateRequestSchema } from '@bosun/contracts';
import type { Actor } from '@bosun/contracts';
import { ClusterRegistry } from '@bosun/kube';
import type { KubeObject, KubePort } from '@bosun/kube';
import { buildTenantManifests, tenantApplyOrder } from '@bosun/provisioner-domain';
import { ADMIN, ServiceHarness } from '@bosun/service-kit/testing';
import { createLogger } from '@bosun/logging';
import { connectNats, JetStreamPublisher } from '@bosun/messaging';
import { testCluster, testInfra, testNatsAuth, uniqueName } from '@bosun/testing';
import { NodesModule } from '../apps/provisioner/src/nodes/nodes.module';
import { TenantsModule } from '../apps/provisioner/src/tenants/tenants.module';
import { dropStaleWork, EventClock, kubectl, machine, median, pool, root, sleep, until, useTestenv } from './services/common';
import type { TimedEvent } from './services/common';
import { fmt, nowMs, summarize } from './stats';

const TENANTS = Number(process.env.BENCH_PROV_TENANTS ?? 50);
const PODS = Number(process.env.BENCH_PROV_PODS ?? 100);
const DRAIN_ROUNDS = Number(process.env.BENCH_PROV_DRAIN_ROUNDS ?? 2);
const DRAIN_TIMEOUT_S = 240;
const TAINT = { key: 'bosun.dev/bench', value: 'provisioner', effect: 'NoSchedule' };
const POOL_LABEL = 'bosun.dev/bench-pool';
const log = (msg: string): void => console.log(`[bench:provisioner] ${msg}`);

type Json = KubeObject & { metadata: Record<string, any>; [k: string]: any };

class Harness extends ServiceHarness {
  static async open(): Promise<Harness> {
    const opts = {
      service: 'provisioner' as const, modules: [TenantsModule, NodesModule], kindPrefix: 'provisioner', targetKind: 'Namespace',
      env: { BOSUN_ROLLOUT_TIMEOUT_SECONDS: '90', LOG_LEVEL: 'error', BOSUN_METRICS_PORT: '0' },
    };
    const c = await ServiceHarness.connect(opts);
    return new Harness(opts, c.nc, c.publisher, c.control, c.queries);
  }

  /** As the gateway does: `provisioner.<action>` targeting the Namespace (tenant-*) or Node (node-*) it names. */
  override async command(action: string, payload: Record<string, unknown>, actor: Actor = ADMIN): Promise<string> {
    const kind = action.startsWith('node-') ? 'Node' : 'Namespace';
    const env = this.envelope(`provisioner.${action}`, payload, actor, { kind, name: payload.name as string, namespace: undefined });
    await this.publish(env);
    return env.operationId;
  }
}

// ---------- tenants ----------

const tenantRequest = (name: string): Record<string, unknown> => ({
  name, quota: { pods: 20, cpu: '4', memory: '8Gi' },
  limits: { default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '64Mi' }, max: { memory: '2Gi' } },
  members: [{ subject: 'user:alice-bench', role: 'edit' }, { subject: 'group:bench-auditors', role: 'view' }],
});

interface TenantRun { total: number; queued: number; applies: number; finish: number }

async function tenantBosun(h: Harness, clock: EventClock, name: string): Promise<TenantRun> {
  const t0 = nowMs();
  const id = await h.command('tenant-create', tenantRequest(name));
  const end = await clock.terminal(id, 60_000);
  if (end.type !== 'succeeded') throw new Error(`tenant-create ${name} failed: ${JSON.stringify(end.error)}`);
  const ev = clock.of(id);
  const started = ev.find((e) => e.type === 'started');
  const progressed = ev.filter((e) => e.type === 'progressed');
  const firstAt = started?.at ?? progressed[0]?.at ?? end.at;
  const lastApply = progressed[progressed.length - 1]?.at ?? firstAt;
  clock.forget(id);
  return { total: end.arrived - t0, queued: (started?.arrived ?? t0) - t0, applies: lastApply - firstAt, finish: end.at - lastApply };
}

const AS = { user: 'admin', groups: ['system:masters'] };

/**
 * The same objects applied directly. `mode`: `plain` — the applies only, no impersonation (the floor);
 * `as` — the applies impersonating the subject Bosun impersonates; `calls` — every call Bosun's create
 * makes, in its order, impersonating (namespace GET, the applies, the prune LIST, the view's GET + GET/LIST).
 */
async function tenantDirect(port: KubePort, name: string, mode: 'plain' | 'as' | 'calls'): Promise<number> {
  const built = buildTenantManifests(tenantCreateRequestSchema.parse(tenantRequest(name)));
  if (!built.ok) throw new Error(`buildTenantManifests: ${JSON.stringify(built.errors)}`);
  const o = mode === 'plain' ? {} : { as: AS };
  const nsRef = { apiVersion: 'v1', kind: 'Namespace', name };
  const bindings = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', namespace: name, labelSelector: `bosun.dev/tenant=${name}` };
  const t0 = nowMs();
  if (mode === 'calls') await port.get(nsRef, o);
  for (const obj of tenantApplyOrder(built.value)) await port.apply(obj as unknown as KubeObject, { ...o, force: true });
  if (mode === 'calls') {
    await port.list(bindings, o);
    await port.get(nsRef, o);
    await Promise.all([port.get({ apiVersion: 'v1', kind: 'ResourceQuota', namespace: name, name: 'bosun-quota' }, o), port.list(bindings, o)]);
  }
  return nowMs() - t0;
}

// ---------- drains ----------

/** A kwok node shaped like tools/testenv/manifests/10-nodes.yaml's, tainted and in `pool`; Ready and untainted by the node controller before it returns. */
async function makeNode(port: KubePort, name: string, pool: string): Promise<void> {
  await port.create({
    apiVersion: 'v1', kind: 'Node',
    metadata: {
      name,
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
      labels: {
        'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux', type: 'kwok', [POOL_LABEL]: pool,
      },
    },
    spec: { taints: [TAINT] },
    status: {
      capacity: { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0' },
      allocatable: { cpu: '8', memory: '33452032Ki', pods: '110', 'ephemeral-storage': '100Gi', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0' },
      addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: name }],
      nodeInfo: { architecture: 'amd64', operatingSystem: 'linux', osImage: 'kwok fake node', kernelVersion: 'kwok', containerRuntimeVersion: 'kwok', kubeletVersion: 'kwok', bootID: '', machineID: '', systemUUID: '' },
    },
  } as KubeObject);
  await until(async () => {
    const n = await port.get<Json>({ apiVersion: 'v1', kind: 'Node', name });
    const ready = n?.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');
    return ready && !(n?.spec.taints ?? []).some((t: any) => t.key.startsWith('node.kubernetes.io/')) ? true : undefined;
  }, `node ${name} Ready and untainted`, 60_000, 500);
}

interface Setup { pool: string; ns: string; a: string; b: string }

const cordon = (port: KubePort, node: string, unschedulable: boolean): Promise<unknown> =>
  port.patch({ apiVersion: 'v1', kind: 'Node', name: node }, { spec: { unschedulable } }, 'merge');

const readyOn = async (port: KubePort, ns: string, node: string): Promise<number> =>
  (await port.list<Json>({ apiVersion: 'v1', kind: 'Pod', namespace: ns, fieldSelector: `spec.nodeName=${node}` }))
    .filter((p) => !p.metadata.deletionTimestamp && (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True')).length;

/** Two nodes, and a Deployment of PODS pods in the pool with the other node cordoned, so they all land on `a`. */
async function makeSetup(port: KubePort, s: Setup): Promise<void> {
  await Promise.all([makeNode(port, s.a, s.pool), makeNode(port, s.b, s.pool)]);
  await cordon(port, s.b, true);
  await port.apply({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'fleet', namespace: s.ns },
    spec: {
      replicas: PODS, selector: { matchLabels: { app: 'fleet' } },
      template: {
        metadata: { labels: { app: 'fleet' } },
        spec: {
          nodeSelector: { [POOL_LABEL]: s.pool },
          tolerations: [{ key: TAINT.key, operator: 'Equal', value: TAINT.value, effect: TAINT.effect }],
          containers: [{ name: 'app', image: 'nginx:1.27' }],
        },
      },
    },
  } as KubeObject);
}

/** Waits until all PODS pods are Ready on `node` (and none left elsewhere in the pool), then opens `other` for the drain's pods. */
async function settled(port: KubePort, s: Setup, node: string, other: string): Promise<void> {
  await until(async () => ((await readyOn(port, s.ns, node)) === PODS && (await readyOn(port, s.ns, other)) === 0 ? true : undefined), `${PODS} pods ready on ${node}`, 180_000, 1000);
  await cordon(port, node, false);
  await cordon(port, other, false);
}

interface DrainRun { path: 'bosun' | 'kubectl' | 'direct'; round: number; node: string; ms: number; evicted: number; back: number; firstEvicted?: number; lastEvicted?: number; cordoned?: number }

async function drainBosun(h: Harness, clock: EventClock, node: string, round: number): Promise<DrainRun> {
  const t0 = nowMs();
  const id = await h.command('node-drain', { name: node, timeoutSeconds: DRAIN_TIMEOUT_S });
  const end = await clock.terminal(id, (DRAIN_TIMEOUT_S + 30) * 1000);
  const ms = end.arrived - t0;
  if (end.type !== 'succeeded') throw new Error(`node-drain ${node} failed: ${JSON.stringify(end.error)}`);
  const ev = clock.of(id).filter((e) => e.type === 'progressed');
  const evictedAt = ev.filter((e) => / evicted$/.test(e.message ?? '')).map((e: TimedEvent) => e.arrived - t0);
  const cordonedAt = ev.find((e) => /cordoned/.test(e.message ?? ''));
  clock.forget(id);
  return {
    path: 'bosun', round, node, ms, evicted: ((end.result as { evicted?: string[] }).evicted ?? []).length, back: 0,
    firstEvicted: evictedAt.length ? Math.min(...evictedAt) : undefined, lastEvicted: evictedAt.length ? Math.max(...evictedAt) : undefined,
    cordoned: cordonedAt ? cordonedAt.arrived - t0 : undefined,
  };
}

/** `kubectl drain`, each `… evicted` line of its output timestamped as it arrives; stderr kept for the client-side throttling notices. */
async function drainKubectl(env: { kubectl: string; kubeconfig: string }, node: string, round: number): Promise<DrainRun & { throttled: number }> {
  const t0 = nowMs();
  const child = spawn(env.kubectl, ['--kubeconfig', env.kubeconfig, 'drain', node, '--ignore-daemonsets', '--delete-emptydir-data', `--timeout=${DRAIN_TIMEOUT_S}s`], { stdio: ['ignore', 'pipe', 'pipe'] });
  const evictedAt: number[] = [];
  let err = '';
  let buf = '';
  child.stdout.on('data', (c: Buffer) => {
    buf += c.toString('utf8');
    const lines = buf.split('\n');
    buf = lines.pop() ?? '';
    for (const l of lines) if (/ evicted$/.test(l)) evictedAt.push(nowMs() - t0);
  });
  child.stderr.on('data', (c: Buffer) => { err += c.toString('utf8'); });
  const killer = setTimeout(() => child.kill('SIGKILL'), (DRAIN_TIMEOUT_S + 30) * 1000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve)).finally(() => clearTimeout(killer));
  const ms = nowMs() - t0;
  if (code !== 0) throw new Error(`kubectl drain ${node} exited ${code}: ${err.slice(-500)}`);
  return {
    path: 'kubectl', round, node, ms, evicted: evictedAt.length, back: 0, throttled: (err.match(/client-side throttling/g) ?? []).length,
    firstEvicted: evictedAt.length ? Math.min(...evictedAt) : undefined, lastEvicted: evictedAt.length ? Math.max(...evictedAt) : undefined,
  };
}

/** The floor without any client's pacing: cordon, every eviction at once through the Eviction API, then a LIST of the node's pods every 250 ms until none is left. */
async function drainDirect(port: KubePort, s: Setup, node: string, round: number): Promise<DrainRun> {
  const t0 = nowMs();
  await cordon(port, node, true);
  const pods = (await port.list<Json>({ apiVersion: 'v1', kind: 'Pod', namespace: s.ns, fieldSelector: `spec.nodeName=${node}` })).filter((p) => !p.metadata.deletionTimestamp);
  let last = 0;
  let first: number | undefined;
  await Promise.all(pods.map(async (p) => {
    const r = await port.evict({ namespace: s.ns, name: p.metadata.name });
    if (r !== 'evicted') throw new Error(`eviction of ${p.metadata.name}: ${r}`);
    const at = nowMs() - t0;
    first = Math.min(first ?? at, at);
    last = Math.max(last, at);
  }));
  await until(async () => ((await port.list({ apiVersion: 'v1', kind: 'Pod', namespace: s.ns, fieldSelector: `spec.nodeName=${node}` })).length === 0 ? true : undefined), `pods gone from ${node}`, DRAIN_TIMEOUT_S * 1000, 250);
  return { path: 'direct', round, node, ms: nowMs() - t0, evicted: pods.length, back: 0, firstEvicted: first, lastEvicted: last };
}

/** The time `kubectl version --client` takes here: the process start, part of every kubectl figure. */
async function kubectlStart(env: { kubectl: string; kubeconfig: string }): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = nowMs();
    await kubectl(env.kubectl, env.kubeconfig, ['version', '--client']);
    xs.push(nowMs() - t0);
  }
  return median(xs);
}

// ---------- main ----------

async function main(): Promise<void> {
  useTestenv();
  const env = testCluster();
  if (!/^https:\/\/127\.0\.0\.1:\d+$/.test(env.apiserver)) throw new Error(`the apiserver ${env.apiserver} is not on loopback`);
  const tStart = nowMs();
  const h = await Harness.open();
  const clock = new EventClock(h.nc);
  const registry = new ClusterRegistry({ kubeconfigPath: env.kubeconfig });
  const direct = registry.get();
  const port = h.admin;
  const nodes: string[] = [];
  const tenantNs: string[] = [];
  const setups: Setup[] = [];
  try {
    const purged = await dropStaleWork(h.nc, 'provisioner');
    if (purged) log(`dropped ${purged} stale provisioner commands`);
    await h.start();

    // --- drains: two identical setups, made first so their pods schedule while the tenants run ---
    for (const tag of ['x', 'y', 'z']) {
      const pool = uniqueName(`bench-pool-${tag}`);
      const s: Setup = { pool, ns: await h.namespace(`bench-drain-${tag}`), a: `${pool}-a`, b: `${pool}-b` };
      nodes.push(s.a, s.b);
      setups.push(s);
    }
    log(`drain setups: ${setups.map((s) => `${s.a} (+ ${s.b}) in ${s.ns}`).join('; ')} …`);
    await Promise.all(setups.map((s) => makeSetup(port, s)));

    // --- tenants, interleaved one by one (the order alternates) ---
    log(`${TENANTS} tenants through Bosun, each beside the same objects applied directly …`);
    const warmB = `bench-tnt-w-${uniqueName('b')}`;
    const warmD = `bench-tnt-w-${uniqueName('d')}`;
    tenantNs.push(warmB, warmD);
    await tenantBosun(h, clock, warmB);
    await tenantDirect(direct, warmD, 'calls');
    const bosun: TenantRun[] = [];
    const plain: number[] = [];
    const imp: number[] = [];
    const calls: number[] = [];
    const acks: number[] = [];
    /** What one tenant's 9 operation events (started, 7 progressed, succeeded) cost as JetStream publish-acks, one after the other as the kit sends them. */
    // Published as the provisioner (only it may publish its events, ADR 0005).
    const probeNc = await connectNats(testInfra().natsUrl, 'bench-event-probe', createLogger('bench', 'silent'), testNatsAuth('provisioner'));
    const probe = new JetStreamPublisher(probeNc);
    const eventChain = async (i: number): Promise<void> => {
      const operationId = `op_benchprobe${i}${Date.now().toString(36)}`;
      const t = nowMs();
      for (let k = 0; k < 9; k++) await probe.event(operationEventSubject('provisioner', 'progressed'), { operationId, at: new Date().toISOString(), progress: { current: k, total: 9, message: 'bench probe' } });
      acks.push(nowMs() - t);
      clock.forget(operationId);
    };
    const t0 = nowMs();
    for (let i = 0; i < TENANTS && nowMs() - t0 < 240_000; i++) {
      const names = ['b', 'd', 'i', 'c'].map((t) => uniqueName(`bench-tnt-${t}${i}`));
      tenantNs.push(...names);
      const steps: (() => Promise<void>)[] = [
        async () => void bosun.push(await tenantBosun(h, clock, names[0])),
        async () => void plain.push(await tenantDirect(direct, names[1], 'plain')),
        async () => void imp.push(await tenantDirect(direct, names[2], 'as')),
        async () => void calls.push(await tenantDirect(direct, names[3], 'calls')),
        () => eventChain(i),
      ];
      // Rotate who goes first, so no path always meets a warmer or colder apiserver.
      for (let k = 0; k < steps.length; k++) await steps[(i + k) % steps.length]();
    }
    const ti = summarize(imp, 1);
    const tc = summarize(calls, 1);
    const tb = summarize(bosun.map((r) => r.total), 1);
    const td = summarize(plain, 1);
    log(`  p50 Bosun ${fmt(tb.p50)} ms, direct ${fmt(td.p50)} ms (${fmt(tb.p50 / td.p50)}×)`);

    // --- drains: round 1 Bosun then kubectl; round 2 the other way, each node's pods going back ---
    const k = { kubectl: env.kubectl, kubeconfig: env.kubeconfig };
    const kStart = await kubectlStart(k);
    const drains: (DrainRun & { throttled?: number })[] = [];
    const paths = ['bosun', 'kubectl', 'direct'] as const;
    for (let round = 0; round < DRAIN_ROUNDS; round++) {
      const [from, to] = round % 2 === 0 ? ['a', 'b'] as const : ['b', 'a'] as const;
      await Promise.all(setups.map((s) => settled(port, s, s[from], s[to])));
      // Each path on its own setup, a different one each round; who goes first rotates.
      const order = paths.map((_, k) => paths[(k + round) % paths.length]);
      log(`drain round ${round + 1}: ${order.join(', ')} (${PODS} pods each) …`);
      for (const path of order) {
        const s = setups[(paths.indexOf(path) + round) % setups.length];
        const r = path === 'bosun' ? await drainBosun(h, clock, s[from], round + 1)
          : path === 'kubectl' ? await drainKubectl(k, s[from], round + 1) : await drainDirect(port, s, s[from], round + 1);
        drains.push(r);
        log(`  ${path}: ${fmt(r.ms / 1000, 2)} s, ${r.evicted} evicted`);
        await sleep(2000);
      }
    }
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const dB = drains.filter((d) => d.path === 'bosun');
    const dK = drains.filter((d) => d.path === 'kubectl');
    const dD = drains.filter((d) => d.path === 'direct');
    const medD = mean(dD.map((d) => d.ms));
    const medB = mean(dB.map((d) => d.ms));
    const medK = mean(dK.map((d) => d.ms));

    const p = (xs: number[]): string => fmt(median(xs), 1);
    const built = buildTenantManifests(tenantCreateRequestSchema.parse(tenantRequest('x')));
    const objectCount = built.ok ? tenantApplyOrder(built.value).length : 0;
    const md = `# Provisioner benchmark

Run: ${new Date().toISOString()}, ${machine()}.
Loopback NATS (JetStream) and Redis; the local control plane ${env.apiserver} (kube-apiserver, etcd, kube-controller-manager,
kube-scheduler, kwok), all on the same 2 cores as this bench and the service. The provisioner runs in this process
(\`createServiceApp\` with \`TenantsModule\`, \`NodesModule\`), commands published on JetStream as the gateway does
(\`ServiceHarness\`), the end read from its operation events. Bosun and its floor are measured interleaved in the same run.
Command: \`node dist/bench/provisioner.bench.js\` (${fmt((nowMs() - tStart) / 1000, 0)} s).

## Tenant creation (\`provisioner.tenant-create\`, ${TENANTS} tenants)

Each tenant: Namespace, ResourceQuota, LimitRange, ServiceAccount and 3 RoleBindings (2 members, the credentials SA), the
order of \`tenantApplyOrder(buildTenantManifests(req))\`. Direct: the same ${objectCount} objects, \`port.apply(obj, {force: true})\` one after the
other with the kube port (\`ClusterRegistry\`, Bosun's credentials, no impersonation). For each of the ${TENANTS} rounds one tenant per path
(who goes first rotating), after one warm-up of each.

| path | n | p50 ms | p99 ms | mean ms |
|---|---|---|---|---|
| Bosun: command published → \`succeeded\` event | ${tb.n} | **${fmt(tb.p50)}** | ${fmt(tb.p99)} | ${fmt(tb.mean)} |
| direct: the same objects applied with the kube port (the floor) | ${td.n} | ${fmt(td.p50)} | ${fmt(td.p99)} | ${fmt(td.mean)} |
| direct, impersonating \`admin\`/\`system:masters\` as Bosun does | ${ti.n} | ${fmt(ti.p50)} | ${fmt(ti.p99)} | ${fmt(ti.mean)} |
| direct, every call Bosun's create makes, in its order, impersonating (GET ns, ${objectCount} applies, LIST RoleBindings, GET ns, GET quota ‖ LIST RoleBindings) | ${tc.n} | ${fmt(tc.p50)} | ${fmt(tc.p99)} | ${fmt(tc.mean)} |

Ratio Bosun/direct at p50: **${fmt(tb.p50 / td.p50)}×** (goal ≤ 1.25× → **${tb.p50 / td.p50 <= 1.25 ? 'met' : 'missed'}**). Against the same applies
impersonating: ${fmt(tb.p50 / ti.p50)}×; against every call Bosun makes, made directly: ${fmt(tb.p50 / tc.p50)}× (what the kit itself adds: JetStream, BullMQ, events).

Where Bosun's time goes (medians, ms; phases from the service's own event timestamps, ms resolution):
command → \`started\` arrives (JetStream consumer, BullMQ job) ${p(bosun.map((r) => r.queued))};
\`started\` → last \`applied …\` progress (a namespace GET, then the ${objectCount} applies, impersonating the subject) ${p(bosun.map((r) => r.applies))};
last apply → \`succeeded\` (the prune LIST of member RoleBindings, the tenant view's reads) ${p(bosun.map((r) => r.finish))}.
An event's \`at\` is stamped when the kit publishes it, and progress events are published one after the other, each waiting for
the previous one's JetStream ack (\`succeeded\` waits for them all): 9 such publish-acks in a row, measured in the same rounds
with the bench's publisher, took ${p(acks)} ms p50 (${fmt(summarize(acks, 1).p99, 1)} p99).

## Drain of a node with ${PODS} pods, no PDBs

Three identical setups, each: two kwok nodes of the bench's own (the shape of \`tools/testenv/manifests/10-nodes.yaml\`'s nodes:
8 CPU, 32Gi, 110 pods, kwok-managed; tainted \`${TAINT.key}=${TAINT.value}:NoSchedule\` and in a pool label only the bench's pods select)
and a Deployment of ${PODS} pods (\`nginx:1.27\`, default grace period) tolerating the taint, all Ready on the node to drain; the other
node takes the evicted pods. Bosun: \`provisioner.node-drain\` \`{name, timeoutSeconds: ${DRAIN_TIMEOUT_S}}\`, command published →
\`succeeded\` (every evicted pod gone). kubectl: \`kubectl drain <node> --ignore-daemonsets --delete-emptydir-data\`
(${env.kubectl.split('/').pop()}), process start → exit (it too waits until every evicted pod is gone). direct: cordon, all ${PODS} evictions
at once through the Eviction API with the kube port, then a LIST of the node's pods every 250 ms until none is left. ${DRAIN_ROUNDS} rounds,
one drain per path per round, one after the other, each path on a different setup each round and who goes first rotating; in
round 2 the pods are back on the other node of each setup and that node is drained.

| round | path | node | evicted | wall s | first / last eviction answered s |
|---|---|---|---|---|---|
${drains.map((d) => `| ${d.round} | ${d.path} | ${d.node} | ${d.evicted} | ${fmt(d.ms / 1000, 2)} | ${d.firstEvicted !== undefined ? `${fmt(d.firstEvicted / 1000, 2)} / ${fmt((d.lastEvicted ?? 0) / 1000, 2)}` : '—'} |`).join('\n')}

(Bosun: the \`… evicted\` progress events' arrival; kubectl: its \`… evicted\` output lines; direct: the Eviction API's answers.)

Mean wall time over the ${DRAIN_ROUNDS} rounds: Bosun **${fmt(medB / 1000, 2)} s**, kubectl ${fmt(medK / 1000, 2)} s (kubectl's process start alone, \`kubectl version --client\`:
${fmt(kStart, 0)} ms), direct Eviction API all at once ${fmt(medD / 1000, 2)} s (Bosun/direct ${fmt(medB / medD)}×). Ratio Bosun/kubectl: **${fmt(medB / medK)}×** (goal ≤ 1.0× → **${medB / medK <= 1.0 ? 'met' : 'missed'}**); per round
${Array.from({ length: DRAIN_ROUNDS }, (_, r) => {
  const b = dB.find((d) => d.round === r + 1);
  const kk = dK.find((d) => d.round === r + 1);
  return b && kk ? `${r + 1}: ${fmt(b.ms / kk.ms)}×` : '';
}).filter(Boolean).join(', ')}.

Notes:
- The machine has 2 cores shared by the apiserver, etcd, the controllers, kwok, NATS, Redis, the service and this bench, with other
  engineers' test runs on the same cores: absolute numbers are noisy; the ratios, measured interleaved, less so.
- How each drain spends its time. The provisioner plans, cordons, then works in rounds every 500 ms: re-list the node's pods,
  evict the due ones 16 at a time (each batch waits for its slowest eviction before the next starts), report each pod's
  \`evicted\` and \`gone\` as progress events, and succeed on the first round that finds every evicted pod gone. kubectl evicts every
  pod at once (one goroutine per pod) and then polls each pod's GET until it is gone.
- Why kubectl is slow here: its client-side rate limiter (client-go's default 5 requests/s, burst 10, which kubectl keeps for
  API calls). ${PODS} evictions plus a GET per pod per second while it waits for deletion queue behind it; its \`evicted\` lines
  come out ~${fmt(mean(dK.map((d) => (d.evicted * 1000) / Math.max(1, (d.lastEvicted ?? 0) - (d.firstEvicted ?? 0)))), 1)} a second (first/last above) and stderr showed ${drains.filter((d) => d.path === 'kubectl').map((d) => d.throttled ?? 0).join(' and ')} \`client-side throttling\` notices. The goal
  (≤ 1.0×) is met by a wide margin for that reason; the direct row is the floor without any client pacing.
- Where the tenant goal is lost (p50s of this run): Bosun ${fmt(tb.p50)} ms against ${fmt(td.p50)} ms for the applies alone. Impersonation costs
  nothing measurable (${fmt(ti.p50)} ms impersonating). The extra calls Bosun's create makes cost ${fmt(tc.p50 - ti.p50)} ms: four more sequential round
  trips around the applies — the namespace GET before (refusing a foreign or Terminating namespace), the LIST of member
  RoleBindings to prune, and the result's view, which reads the Namespace again and then the ResourceQuota and the same
  RoleBinding LIST again, although the applies just answered with those objects. The remaining ${fmt(tb.p50 - tc.p50)} ms is the kit: the JetStream
  consumer and BullMQ hand-off (${p(bosun.map((r) => r.queued))} ms to \`started\`), the 9 operation events published one after the other with
  their acks (\`succeeded\` waits for the chain), and the service sharing this process and the cores with everything else.
- The tenant floor sends no impersonation headers; Bosun impersonates the operation's subject (\`admin\`, \`system:masters\`) on
  every call, as it must, so the apiserver authorizes impersonation per request.
`;
    writeFileSync(join(root, 'bench/results/provisioner.md'), md);
    console.log(md);
  } finally {
    // Namespaces first (their pods go with them), then the nodes; bounded waits, never hanging.
    const all = [...tenantNs, ...h.namespaces.splice(0)];
    await pool(all.length, 16, async (i) => { await port.delete({ apiVersion: 'v1', kind: 'Namespace', name: all[i] }).catch(() => undefined); }, 120_000).catch((e: Error) => log(`cleanup: ${e.message}`));
    const drainNs = setups.map((s) => s.ns);
    await until(async () => {
      const left = await Promise.all(drainNs.map((n) => port.get({ apiVersion: 'v1', kind: 'Namespace', name: n })));
      return left.every((x) => !x) ? true : undefined;
    }, 'the drain namespaces gone', 90_000, 1000).catch((e: Error) => log(`cleanup: ${e.message}`));
    for (const n of nodes) await port.delete({ apiVersion: 'v1', kind: 'Node', name: n }).catch(() => undefined);
    registry.close();
    await h.close().catch((e: Error) => log(`cleanup: ${e.message}`));
  }
}

void main().then(() => process.exit(0), (e) => { console.error(`[bench:provisioner] FAILED: ${(e as Error).stack ?? e}`); process.exit(1); });
