/**
 * The storage service on the local control plane, beside its floor, in one run:
 *  - the `diagnosis` query of one Pending claim among 1,000 static PVs (a class nobody else uses),
 *    p50 over 50 calls, with where the time goes (each read the query makes, timed alone as the
 *    asker, and the pure `diagnoseClaim` over the same inputs);
 *  - claim → Bound: claims of the `local-path` class (WaitForFirstConsumer, `bosun.dev/local-path`,
 *    the service booted in-process through `StorageHarness`), each with a consumer pod for the
 *    scheduler to place, beside claims of an Immediate no-provisioner class bound to pre-created
 *    static PVs by the PV controller alone (the floor), and beside claims of a WaitForFirstConsumer
 *    no-provisioner class with static PVs and a pod each (the scheduler + PV controller, no
 *    provisioner), in batches interleaved path by path, who goes first rotating.
 * Bound is seen on a watch (the bench's own informer on claims); time is from just before the
 * claim's create to the watch event. Writes bench/results/storage.md and prints it. Needs NATS_URL,
 * REDIS_URL and the local control plane; deletes its claims, pods, PVs, classes and namespace in `finally`.
 */
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClaimDiagnosis } from '@bosun/contracts';
import { ClusterRegistry, observeKubeRequests } from '@bosun/kube';
import type { KubeObject, KubePort } from '@bosun/kube';
import { diagnoseClaim } from '@bosun/storage-domain';
import { testCluster, uniqueName } from '@bosun/testing';
import { LOCAL_PATH_CLASS } from '../apps/storage/src/classes/local-path.class';
import { ClaimDiagnoser, diagnoseFromCluster } from '../apps/storage/src/common/claim.diagnoser';
import { StorageCaches } from '../apps/storage/src/common/storage.caches';
import { StorageRepository } from '../apps/storage/src/common/storage.repository';
import { StorageHarness } from '../apps/storage/src/testing/storage.harness';
import { diff, dropStaleWork, kubeRequests, machine, median, pool, root, sleep, total, until, useTestenv } from './services/common';
import { fmt, nowMs, summarize } from './stats';

const CLAIMS = Number(process.env.BENCH_STORAGE_CLAIMS ?? 200);
const BATCH = Number(process.env.BENCH_STORAGE_BATCH ?? 20);
const PVS = Number(process.env.BENCH_STORAGE_PVS ?? 1000);
const DIAG_CALLS = Number(process.env.BENCH_STORAGE_DIAG_CALLS ?? 50);
const NEW_ASKERS = 10;
const BIND_BUDGET_MS = 180_000;
const log = (msg: string): void => console.log(`[bench:storage] ${msg}`);

type Json = KubeObject & { metadata: Record<string, any>; [k: string]: any };
type Path = 'bosun' | 'floor' | 'wffc';
const PATHS: Path[] = ['bosun', 'floor', 'wffc'];
type DiagnosisInput = Parameters<typeof diagnoseClaim>[0];
const AS = { user: 'admin', groups: ['system:masters'] };

const claimObj = (namespace: string, name: string, storageClassName: string, size = '1Gi'): Json => ({
  apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace },
  spec: { accessModes: ['ReadWriteOnce'], storageClassName, resources: { requests: { storage: size } } },
});

const podObj = (namespace: string, name: string, claim: string): Json => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels: { app: 'bench-storage' } },
  spec: {
    terminationGracePeriodSeconds: 0,
    containers: [{ name: 'app', image: 'nginx:1.27', volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
    volumes: [{ name: 'data', persistentVolumeClaim: { claimName: claim } }],
  },
});

const staticPv = (name: string, storageClassName: string): Json => ({
  apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name, labels: { 'bosun.dev/bench': 'storage' } },
  spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], storageClassName, persistentVolumeReclaimPolicy: 'Retain', hostPath: { path: `/tmp/${name}` } },
});


interface Seen { t0: number; node?: number; pv?: number; bound?: number }

/**
 * The client rate limits kube-controller-manager and kube-scheduler run with, from their command lines
 * (the launcher's pid files in the testenv's state dir); their defaults when the flags are not given.
 */
function controlPlaneQps(env: object): { text: string; controllerQps: number } {
  const stateDir = (env as { stateDir?: string }).stateDir ?? '';
  let controllerQps = 20;
  const flags = (component: string, defaults: string): string => {
    try {
      const pid = readFileSync(join(stateDir, 'pids', `${component}.pid`), 'utf8').trim();
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const qps = args.find((a) => a.startsWith('--kube-api-qps='))?.split('=')[1];
      const burst = args.find((a) => a.startsWith('--kube-api-burst='))?.split('=')[1];
      if (component === 'kube-controller-manager' && qps) controllerQps = Number(qps);
      return qps || burst ? `${component} \`--kube-api-qps=${qps ?? '?'} --kube-api-burst=${burst ?? '?'}\`` : `${component} its defaults (${defaults})`;
    } catch {
      return `${component} unknown (no pid file under ${stateDir || 'the state dir'})`;
    }
  };
  const text = `${flags('kube-controller-manager', 'QPS 20, burst 30')}, ${flags('kube-scheduler', 'QPS 50, burst 100')}`;
  return { text, controllerQps };
}

async function main(): Promise<void> {
  useTestenv();
  const env = testCluster();
  if (!/^https:\/\/127\.0\.0\.1:\d+$/.test(env.apiserver)) throw new Error(`the apiserver ${env.apiserver} is not on loopback`);
  const tStart = nowMs();
  const ns = uniqueName('bench-storage');
  // The provisioner's Lease in the bench's own namespace: no contention with other engineers' runs
  // over kube-system's; production durations (15 s lease, 30 s resync, 5 s bind wait).
  const h = await StorageHarness.withOptions({ leaseNamespace: ns, leaseDurationSeconds: 15, resyncSeconds: 30, claimBindWaitMs: 5000 });
  const registry = new ClusterRegistry({ kubeconfigPath: env.kubeconfig });
  const port: KubePort = registry.get();
  const pvNames: string[] = [];
  const prefix = uniqueName('bench-spv');
  let diagPvs: string[] = [];
  try {
    await port.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    h.namespaces.push(ns);
    const purged = await dropStaleWork(h.nc, 'storage');
    if (purged) log(`dropped ${purged} stale storage commands`);
    const app = await h.start({ LOG_LEVEL: 'error', BOSUN_METRICS_PORT: '0' });
    // Which requests the service made (method and path), chained to the kit's metrics observer it installed.
    const requestPaths: string[] = [];
    const pvCreateMs: number[] = [];
    const kitObserver = observeKubeRequests((method, status, seconds, path) => {
      requestPaths.push(`${method} ${path}`);
      if (method === 'POST' && path === '/api/v1/persistentvolumes' && status === 201) pvCreateMs.push(seconds * 1000);
      kitObserver?.(method, status, seconds, path);
    });
    await until(async () => ((await port.get<Json>({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: ns, name: 'bosun-local-path' }))?.spec?.holderIdentity ? true : undefined), 'the local-path lease taken', 60_000, 200);

    // The bench's own watches: claims (Bound, selected-node) and volumes (Bosun's PV appearing).
    const seen = new Map<string, Seen>();
    const claims = port.informer<Json>({ apiVersion: 'v1', kind: 'PersistentVolumeClaim' });
    const volumes = port.informer<Json>({ apiVersion: 'v1', kind: 'PersistentVolume' });
    claims.onEvent((_t, c) => {
      const s = c.metadata.namespace === ns ? seen.get(c.metadata.name) : undefined;
      if (!s) return;
      const at = nowMs();
      if (s.node === undefined && c.metadata.annotations?.['volume.kubernetes.io/selected-node']) s.node = at;
      if (s.bound === undefined && c.status?.phase === 'Bound') s.bound = at;
    });
    volumes.onEvent((_t, pv) => {
      const ref = pv.spec?.claimRef;
      const s = ref?.namespace === ns ? seen.get(ref.name) : undefined;
      // Bosun's path: its PV, made pre-bound; the floors: the PV controller's (or the scheduler's) first bind step on a static PV.
      if (s && s.pv === undefined) s.pv = nowMs();
    });
    await Promise.all([claims.start(), volumes.start()]);

    // ---------- diagnosis of one Pending claim among PVS static PVs ----------
    const diagClass = await h.storageClass('bench-diag');
    diagPvs = Array.from({ length: PVS }, (_, i) => `${prefix}-d${i}`);
    pvNames.push(...diagPvs);
    log(`creating ${PVS} static PVs of class ${diagClass} …`);
    const tPv = await pool(PVS, 16, async (i) => { await port.create(staticPv(diagPvs[i], diagClass)); }, 180_000);
    await port.create(claimObj(ns, 'diag', diagClass, '5Gi'));
    const diagnoser = app.get(ClaimDiagnoser);
    const cache = await app.get(StorageCaches).of();
    await until(async () => (volumes.list().filter((v) => v.spec?.storageClassName === diagClass).length >= PVS &&
      cache.informers.volumes.list().filter((v) => v.spec?.storageClassName === diagClass).length >= PVS && cache.informers.claims.get(ns, 'diag') ? true : undefined), 'the PVs in the caches', 60_000, 200);
    const clusterPvs = volumes.list().length;
    for (let i = 0; i < 3; i++) await h.query<ClaimDiagnosis>('diagnosis', { namespace: ns, name: 'diag' });
    const diagMs: number[] = [];
    const before = await kubeRequests(app);
    const pathsBefore = requestPaths.length;
    let candidates = 0;
    let replyBytes = 0;
    const tDiag = nowMs();
    for (let i = 0; i < DIAG_CALLS && nowMs() - tDiag < 60_000; i++) {
      const t = nowMs();
      const r = await h.query<ClaimDiagnosis>('diagnosis', { namespace: ns, name: 'diag' });
      diagMs.push(nowMs() - t);
      if (!r.ok) throw new Error(`diagnosis: ${JSON.stringify(r)}`);
      candidates = r.value.candidates.length;
      replyBytes = Buffer.byteLength(JSON.stringify(r.value));
    }
    const perCall = diff(before, await kubeRequests(app));
    const diagPaths = requestPaths.slice(pathsBefore);
    const pvLists = diagPaths.filter((x) => x === 'GET /api/v1/persistentvolumes').length;
    // Askers the service has not seen: each first call reviews the asker's five rights (one round, in parallel), the next is warm.
    const coldMs: number[] = [];
    const secondMs: number[] = [];
    const coldFrom = requestPaths.length;
    for (let i = 0; i < NEW_ASKERS; i++) {
      const asker = { subject: `user:${uniqueName('bench-asker')}`, groups: ['system:masters'], via: 'api' as const };
      let t = nowMs();
      const r = await h.query<ClaimDiagnosis>('diagnosis', { namespace: ns, name: 'diag' }, asker);
      coldMs.push(nowMs() - t);
      if (!r.ok) throw new Error(`diagnosis as a new asker: ${JSON.stringify(r)}`);
      t = nowMs();
      await h.query<ClaimDiagnosis>('diagnosis', { namespace: ns, name: 'diag' }, asker);
      secondMs.push(nowMs() - t);
    }
    const coldPaths = requestPaths.slice(coldFrom);
    const reviewsPerAsker = coldPaths.filter((x) => x.endsWith('/selfsubjectaccessreviews')).length / NEW_ASKERS;
    // Where it goes: the handler in this process (no NATS), paired call by call with the query; the pure domain over
    // the cache's prepared volumes; and, in the same run, the path it replaces (every read per call, as the asker).
    const claim = (await port.get<Json>({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name: 'diag' }))!;
    const pairQuery: number[] = [];
    const pairHandler: number[] = [];
    for (let i = 0; i < 20; i++) {
      let t = nowMs();
      await h.query<ClaimDiagnosis>('diagnosis', { namespace: ns, name: 'diag' });
      pairQuery.push(nowMs() - t);
      t = nowMs();
      await diagnoser.diagnoseNamed('default', AS, ns, 'diag');
      pairHandler.push(nowMs() - t);
    }
    const repo = new StorageRepository(port, AS);
    const oldMs: number[] = [];
    const pvListMs: number[] = [];
    for (let i = 0; i < 15; i++) {
      let t = nowMs();
      await diagnoseFromCluster(repo, await repo.requireClaim(ns, 'diag'));
      oldMs.push(nowMs() - t);
      t = nowMs();
      await port.list({ apiVersion: 'v1', kind: 'PersistentVolume' }, { as: AS });
      pvListMs.push(nowMs() - t);
    }
    const classList = cache.informers.classes.list();
    const domainMs: number[] = [];
    const preparedMs: number[] = [];
    for (let i = 0; i < 30; i++) {
      let t = nowMs();
      diagnoseClaim({ claim, volumes: cache.informers.volumes.list(), classes: classList } as unknown as DiagnosisInput);
      domainMs.push(nowMs() - t);
      t = nowMs();
      diagnoseClaim({ claim, prepared: cache.preparedVolumes(), classes: classList } as unknown as DiagnosisInput);
      preparedMs.push(nowMs() - t);
    }
    const diag = summarize(diagMs, 1);
    const cold = summarize(coldMs, 1);
    const second = summarize(secondMs, 1);
    const HANDLER = median(pairHandler);
    const PAIRED = median(pairQuery);
    log(`diagnosis p50 ${fmt(diag.p50)} ms over ${diag.n} calls (${clusterPvs} PVs in the cluster); a new asker's first call ${fmt(cold.p50)} ms`);
    await port.delete({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name: 'diag' });
    // The 1,000 PVs go now, so the PV controller's binding below does not search them.
    await pool(diagPvs.length, 16, async (i) => { await port.delete({ apiVersion: 'v1', kind: 'PersistentVolume', name: diagPvs[i] }).catch(() => undefined); }, 180_000);
    pvNames.splice(0, pvNames.length, ...pvNames.filter((n) => !diagPvs.includes(n)));

    // ---------- claim → Bound ----------
    const floorClass = await h.storageClass('bench-floor');
    const wffcClass = await h.storageClass('bench-wffc', { volumeBindingMode: 'WaitForFirstConsumer' });
    // One PV per claim, the warm-up claim's included.
    const perPath = CLAIMS + 1;
    const floorPvs = Array.from({ length: perPath }, (_, i) => `${prefix}-f${i}`);
    const wffcPvs = Array.from({ length: perPath }, (_, i) => `${prefix}-w${i}`);
    pvNames.push(...floorPvs, ...wffcPvs);
    log(`pre-creating ${perPath} + ${perPath} static PVs for the floors …`);
    await pool(perPath * 2, 16, async (i) => {
      await port.create(i < perPath ? staticPv(floorPvs[i], floorClass) : staticPv(wffcPvs[i - perPath], wffcClass));
    }, 180_000);
    await until(async () => (floorPvs.concat(wffcPvs).every((n) => volumes.get(undefined, n)?.status?.phase === 'Available') ? true : undefined), 'the static PVs Available', 120_000, 250);

    const classOf: Record<Path, string> = { bosun: LOCAL_PATH_CLASS, floor: floorClass, wffc: wffcClass };
    const names: Record<Path, string[]> = { bosun: [], floor: [], wffc: [] };
    const batch = async (path: Path, round: number): Promise<void> => {
      const batchNames = Array.from({ length: BATCH }, (_, k) => `${path}-${round}-${k}`);
      names[path].push(...batchNames);
      await Promise.all(batchNames.map(async (name) => {
        seen.set(name, { t0: nowMs() });
        await port.create(claimObj(ns, name, classOf[path]));
        if (path !== 'floor') await port.create(podObj(ns, name, name));
      }));
      await until(async () => (batchNames.every((n) => seen.get(n)?.bound !== undefined) ? true : undefined), `${path} batch ${round} Bound`, 120_000, 50);
      // The pods go (kwok's nodes hold 110 each); their claims stay Bound until the end.
      if (path !== 'floor') await Promise.all(batchNames.map((n) => port.delete({ apiVersion: 'v1', kind: 'Pod', namespace: ns, name: n }).catch(() => undefined)));
    };
    // Warm-up: one claim of each path.
    for (const p of PATHS) {
      seen.set(`warm-${p}`, { t0: nowMs() });
      await port.create(claimObj(ns, `warm-${p}`, classOf[p]));
      if (p !== 'floor') await port.create(podObj(ns, `warm-${p}`, `warm-${p}`));
      await until(async () => (seen.get(`warm-${p}`)?.bound !== undefined ? true : undefined), `warm-up ${p} Bound`, 120_000, 50);
      if (p !== 'floor') await port.delete({ apiVersion: 'v1', kind: 'Pod', namespace: ns, name: `warm-${p}` }).catch(() => undefined);
    }
    pvCreateMs.length = 0;
    const rounds = Math.ceil(CLAIMS / BATCH);
    log(`${rounds} rounds of ${BATCH} claims per path (${PATHS.join(', ')}), who goes first rotating …`);
    const tBind = nowMs();
    for (let r = 0; r < rounds && nowMs() - tBind < BIND_BUDGET_MS; r++) {
      for (let k = 0; k < PATHS.length; k++) await batch(PATHS[(r + k) % PATHS.length], r);
      await sleep(500);
    }
    const bindS = (nowMs() - tBind) / 1000;
    // Who wrote what about the claims: the Events in the namespace, by reporter and reason.
    const evs = await port.list<Json>({ apiVersion: 'v1', kind: 'Event', namespace: ns });
    const byReason: Record<string, number> = {};
    for (const e of evs) {
      if (e.involvedObject?.kind !== 'PersistentVolumeClaim') continue;
      const path = PATHS.find((p) => String(e.involvedObject?.name).startsWith(`${p}-`));
      if (!path) continue;
      const k = `${path} | ${e.reportingComponent || e.source?.component || '?'} | ${e.reason}`;
      byReason[k] = (byReason[k] ?? 0) + (e.count ?? 1);
    }
    // Claims (not events: the recorder aggregates repeats into a count) the PV controller took the external-provisioning branch for.
    const externalProvisioning = new Set(evs.filter((e) => e.reason === 'ExternalProvisioning' && String(e.involvedObject?.name).startsWith('bosun-')).map((e) => e.involvedObject.name)).size;
    const of = (p: Path, f: (s: Seen) => number | undefined): number[] => names[p].map((n) => seen.get(n)!).map(f).filter((x): x is number => x !== undefined);
    const sb = summarize(of('bosun', (s) => s.bound! - s.t0), 1);
    const sf = summarize(of('floor', (s) => s.bound! - s.t0), 1);
    const sw = summarize(of('wffc', (s) => s.bound! - s.t0), 1);
    const bNode = median(of('bosun', (s) => (s.node !== undefined ? s.node - s.t0 : undefined)));
    const bPv = median(of('bosun', (s) => (s.pv !== undefined && s.node !== undefined ? s.pv - s.node : undefined)));
    const bBind = median(of('bosun', (s) => (s.pv !== undefined ? s.bound! - s.pv : undefined)));
    const toRef = (p: Path): number => median(of(p, (s) => (s.pv !== undefined ? s.pv - s.t0 : undefined)));
    const refToBound = (p: Path): number => median(of(p, (s) => (s.pv !== undefined ? s.bound! - s.pv : undefined)));
    const ratio50 = sb.p50 / sf.p50;
    const ratio99 = sb.p99 / sf.p99;
    log(`claim → Bound p50: Bosun ${fmt(sb.p50)} ms, floor ${fmt(sf.p50)} ms (${fmt(ratio50)}×), static WFFC ${fmt(sw.p50)} ms`);

    const qps = controlPlaneQps(env);
    const md = `# Storage benchmark

Run: ${new Date().toISOString()}, ${machine()}.
Loopback NATS (JetStream) and Redis; the local control plane ${env.apiserver} (kube-apiserver, etcd, kube-controller-manager with
the real PV controller, kube-scheduler, kwok nodes), all on the same 2 cores as this bench and the service; client rate limits:
${qps.text}. The storage service runs
in this process (\`StorageHarness\` → \`createServiceApp\` with \`StorageModule.forRoot()\`, production lease/resync/bind-wait; its
local-path Lease in the bench's namespace \`${ns}\`), queries sent on NATS as the gateway does. Bosun and its floors are measured
interleaved in the same run. Command: \`node dist/bench/storage.bench.js\` (${fmt((nowMs() - tStart) / 1000, 0)} s).

## Diagnosis of one Pending claim among ${PVS} PVs

${PVS} static PVs (1Gi, class \`${diagClass}\`, nobody else's; created in ${fmt(tPv / 1000, 1)} s, 16 at a time), ${clusterPvs} PVs in the cluster in all; one
claim of that class asking 5Gi, so it stays Pending and every PV is a candidate that does not match (${candidates} candidates in the answer).
\`storage\` query \`diagnosis\` \`{namespace, name}\` as \`user:admin\` (\`system:masters\`), one call after the other, after 3 warm-up calls;
then ${NEW_ASKERS} askers the service has never seen (each its own user in \`system:masters\`), twice each.

| | n | p50 ms | p99 ms | mean ms |
|---|---|---|---|---|
| \`diagnosis\` query, request → reply (asker's reviews cached) | ${diag.n} | **${fmt(diag.p50)}** | ${fmt(diag.p99)} | ${fmt(diag.mean)} |
| the same, a new asker's first call (its access reviews made) | ${cold.n} | ${fmt(cold.p50)} | ${fmt(cold.p99)} | ${fmt(cold.mean)} |
| the same asker's second call | ${second.n} | ${fmt(second.p50)} | ${fmt(second.p99)} | ${fmt(second.mean)} |

Goal < 20 ms p50 → **${diag.p50 < 20 ? 'met' : 'missed'}**.

The service answers from its shared informers (\`StorageCaches\`: the claims, PVs and classes the local-path provisioner watches anyway,
and nodes), not a list per call: over the ${diag.n} calls it made ${fmt(total(perCall), 0)} Kubernetes requests in all
(the kit's \`bosun_kube_request_duration_seconds_count\`${Object.keys(perCall).length ? `: ${Object.entries(perCall).map(([k, v]) => `HTTP ${k} ${v}`).join(', ')}` : ''},
which also counts background requests such as the provisioner's lease renewals), of which ${pvLists} PV lists (by path, \`observeKubeRequests\`).
The asker's rights are checked as the reads they replace — \`get\` the claim, \`list\` PVs, StorageClasses, the namespace's pods and
events — with SelfSubjectAccessReviews made as the asker, kept per asker and attributes for 30 s: ${fmt(reviewsPerAsker, 1)} reviews on a new
asker's first call (in one parallel round), none on the next (${fmt(coldPaths.length / NEW_ASKERS, 1)} requests per new asker in all). The claim's class has no
provisioner and is Immediate, so neither the namespace's pods nor the claim's events can change the answer (\`diagnosisReads\`): none are read.

Where the time goes (medians, ms):

| | ms |
|---|---|
| the query (paired with the next row, 20 pairs) | ${fmt(PAIRED, 1)} |
| the handler alone in this process (\`ClaimDiagnoser.diagnoseNamed\`, reviews cached) | ${fmt(HANDLER, 1)} |
| \`diagnoseClaim\` over the cache's volumes, each capacity parsed per call | ${fmt(median(domainMs), 2)} |
| \`diagnoseClaim\` over the cache's prepared volumes (parsed once per change: what the handler does) | ${fmt(median(preparedMs), 2)} |
| before: every read per call as the asker (\`diagnoseFromCluster\`: claim GET, then PVs, classes, pods, events, nodes listed), in this run | ${fmt(median(oldMs), 1)} |
| of which the PV list alone (${clusterPvs} PVs, two pages of 500) | ${fmt(median(pvListMs), 1)} |

The rest of the query, ~${fmt(Math.max(0, PAIRED - HANDLER), 1)} ms, is the kit's query path: NATS request/reply and the
${fmt(replyBytes / 1024, 0)} KiB answer (${candidates} candidates, each with its reasons) encoded and decoded.

## Claim → Bound, ${CLAIMS} claims per path

Per path, ${rounds} rounds of ${BATCH} claims created at once (1Gi, ReadWriteOnce, created directly with the kube port, not through the
\`create-claim\` operation, so the paths differ only in who binds), one path's batch after the other, who goes first rotating, after one
warm-up claim per path. Time: just before the claim's create → the bench's watch sees \`status.phase: Bound\`. ${bindS.toFixed(0)} s in all.

- **Bosun**: class \`${LOCAL_PATH_CLASS}\` (\`bosun.dev/local-path\`, WaitForFirstConsumer) and a consumer pod per claim (created right after it):
  the scheduler picks a kwok node and annotates the claim (\`volume.kubernetes.io/selected-node\`), the service's informer sees it and
  creates the hostPath PV \`pvc-<uid>\` pre-bound to the claim, the PV controller binds it.
- **floor**: class \`${floorClass}\` (no provisioner, Immediate), ${CLAIMS} static PVs made beforehand; the PV controller alone binds.
- **static WFFC**: class \`${wffcClass}\` (no provisioner, WaitForFirstConsumer), ${CLAIMS} static PVs made beforehand and a pod per claim:
  the scheduler + the PV controller, no provisioner — the WaitForFirstConsumer part of Bosun's path without Bosun.

| path | n | p50 ms | p99 ms | mean ms |
|---|---|---|---|---|
| Bosun: local-path claim + pod → Bound | ${sb.n} | **${fmt(sb.p50)}** | **${fmt(sb.p99)}** | ${fmt(sb.mean)} |
| floor: claim → Bound to a static PV by the PV controller | ${sf.n} | ${fmt(sf.p50)} | ${fmt(sf.p99)} | ${fmt(sf.mean)} |
| static WFFC: claim + pod → Bound (scheduler + PV controller) | ${sw.n} | ${fmt(sw.p50)} | ${fmt(sw.p99)} | ${fmt(sw.mean)} |

Ratio Bosun/floor: p50 **${fmt(ratio50)}×**, p99 **${fmt(ratio99)}×** (goal ≤ 1.5× → **${ratio50 <= 1.5 ? 'met' : 'missed'}** at p50, **${ratio99 <= 1.5 ? 'met' : 'missed'}** at p99).
Bosun/static WFFC: p50 ${fmt(sb.p50 / sw.p50)}×, p99 ${fmt(sb.p99 / sw.p99)}×.

Where Bosun's time goes (medians, ms, from the bench's watch events): create → selected-node annotation (the scheduler) ${fmt(bNode, 0)};
annotation → Bosun's PV seen (the service's claim informer, reconcile: the PV create, the Provisioning event beside it) ${fmt(bPv, 0)},
of which the PV create request itself ${fmt(median(pvCreateMs), 0)} (median of the ${pvCreateMs.length} creates of this process in this part, as \`observeKubeRequests\` timed them);
PV seen → claim Bound (the PV controller's claim sync: the claim's \`volumeName\`, annotations and phase) ${fmt(bBind, 0)}.
Events recorded about the measured claims, by path, reporter and reason (count):

| path | reporter | reason | count |
|---|---|---|---|
${Object.entries(byReason).sort().map(([k, v]) => `| ${k} | ${v} |`).join('\n')}

The PV controller does more for Bosun's claims than for the static WFFC ones when it syncs a claim's selected-node annotation
before Bosun's PV exists: for a claim of an external provisioner's class it then (upstream's \`provisionClaimOperationExternal\`)
writes the \`volume.kubernetes.io/storage-provisioner\` annotation on the claim and records \`ExternalProvisioning\` — two more
requests through its rate-limited client, and one more sync of the claim — which happened for ${externalProvisioning} of the ${sb.n} claims here
(the PV controller's claim worker, when idle, picks the annotation up before any provisioner's create can land), i.e. some
${fmt((externalProvisioning * 2) / qps.controllerQps / rounds, 2)} s of its ${qps.controllerQps} requests/s per batch of ${BATCH};
when Bosun's PV is there first, the same sync binds at once. Its part of Bosun's path (PV seen → Bound, ${fmt(bBind, 0)} ms) is
${bBind > refToBound('wffc') ? 'longer than' : 'not longer than'} its part of static WFFC's (claimRef → Bound, ${fmt(refToBound('wffc'), 0)} ms). The floors, create → a PV
naming the claim in \`claimRef\` seen → Bound: floor ${fmt(toRef('floor'), 0)} → ${fmt(refToBound('floor'), 0)} (both steps the PV controller's);
static WFFC ${fmt(toRef('wffc'), 0)} (the scheduler's volume binding writes the PV's \`claimRef\`) → ${fmt(refToBound('wffc'), 0)} (the PV controller).
So of Bosun's ${fmt(sb.p50, 0)} ms p50, the provisioner's share (annotation seen → its PV seen) is ~${fmt(bPv, 0)} ms, most of it the apiserver
answering the create (${fmt(median(pvCreateMs), 0)} ms); the scheduler's ~${fmt(bNode, 0)} ms; the rest is the PV controller
completing the bind, one claim after the other in its single claim worker (PV status, claim update, claim status), with the ${BATCH}
claims of a batch queued behind each other. Static WFFC alone — the scheduler's WaitForFirstConsumer pass and the same PV-controller
bind, no provisioner at all — is ${fmt(sw.p50 / sf.p50)}× the floor at p50: that much of the ${fmt(ratio50)}× is the path every
WaitForFirstConsumer class takes, whoever provisions; Bosun adds ${fmt(sb.p50 - sw.p50, 0)} ms at p50 on top of it.

Notes:
- The machine has 2 cores shared by the apiserver, etcd, the controllers, kwok, NATS, Redis, the service and this bench, with other
  engineers' test runs on the same cores: absolute numbers are noisy; the ratios, measured interleaved, less so.
- The floor does not need a pod or the scheduler: Immediate binding is what the PV controller can do alone. Bosun's provisioner only
  serves WaitForFirstConsumer claims (it needs the scheduler's node: \`decideProvisioning\` skips a claim without
  \`volume.kubernetes.io/selected-node\`, README "The bosun.dev/local-path provisioner"), so its path always includes the scheduler's
  pass; the static WFFC row shows what that part costs without Bosun.
- Each batch's pods are deleted once its claims are Bound (kwok's nodes hold 110 pods each); the claims stay until the end.
`;
    writeFileSync(join(root, 'bench/results/storage.md'), md);
    console.log(md);
  } finally {
    // Claims first while the service still runs (its Delete-policy PVs are reclaimed by it), then every PV of ours.
    const t = nowMs();
    const pods = await port.list<Json>({ apiVersion: 'v1', kind: 'Pod', namespace: ns }).catch(() => [] as Json[]);
    await pool(pods.length, 16, async (i) => { await port.delete({ apiVersion: 'v1', kind: 'Pod', namespace: ns, name: pods[i].metadata.name }).catch(() => undefined); }, 60_000).catch((e: Error) => log(`cleanup: ${e.message}`));
    const pvcs = await port.list<Json>({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns }).catch(() => [] as Json[]);
    await pool(pvcs.length, 16, async (i) => { await port.delete({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name: pvcs[i].metadata.name }).catch(() => undefined); }, 60_000).catch((e: Error) => log(`cleanup: ${e.message}`));
    const ours = async (): Promise<Json[]> => (await port.list<Json>({ apiVersion: 'v1', kind: 'PersistentVolume' })).filter((pv) => pv.spec?.claimRef?.namespace === ns || String(pv.metadata.name).startsWith(prefix));
    await until(async () => ((await ours()).filter((pv) => String(pv.metadata.name).startsWith('pvc-')).length === 0 ? true : undefined), 'Bosun\'s PVs reclaimed', 90_000, 1000).catch((e: Error) => log(`cleanup: ${e.message}`));
    const left = await ours().catch(() => [] as Json[]);
    const leftNames = [...new Set([...left.map((pv) => pv.metadata.name as string), ...pvNames])];
    await pool(leftNames.length, 16, async (i) => {
      const ref = { apiVersion: 'v1', kind: 'PersistentVolume', name: leftNames[i] };
      await port.delete(ref).catch(() => undefined);
      await port.patch(ref, { metadata: { finalizers: null } }, 'merge').catch(() => undefined);
    }, 180_000).catch((e: Error) => log(`cleanup: ${e.message}`));
    registry.close();
    await h.close().catch((e: Error) => log(`cleanup: ${e.message}`));
    log(`cleaned up in ${fmt((nowMs() - t) / 1000, 1)} s`);
  }
}

void main().then(() => process.exit(0), (e) => { console.error(`[bench:storage] FAILED: ${(e as Error).stack ?? e}`); process.exit(1); });
