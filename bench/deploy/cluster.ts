/**
 * The bench's own view of the local control plane: the testenv file, a keep-alive HTTPS
 * client (the "plain https PATCH" baseline and every bookkeeping call), client-node's
 * KubernetesObjectApi (the other baseline) and a Deployment watch that timestamps when each
 * Deployment becomes visible to watchers.
 */
import { existsSync, readFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { KubeConfig, KubernetesObjectApi, PatchStrategy, Watch } from '@kubernetes/client-node';
import type { KubernetesObject } from '@kubernetes/client-node';
import { deployRequestSchema } from '@bosun/contracts';
import { buildDeploymentManifest } from '@bosun/deployer-domain';
import { nowMs } from '../stats';

const FIX = 'run `npm run testenv:up` (the local Kubernetes control plane), then rerun';

export interface Testenv { kubeconfig: string; apiserver: string; port: number; stateDir: string }

/** `.bosun/testenv.json`, or a loud failure naming the command that starts the cluster. */
export function loadTestenv(root: string): Testenv {
  const file = join(root, '.bosun', 'testenv.json');
  if (!existsSync(file)) throw new Error(`no local Kubernetes control plane: ${file} is missing; ${FIX}`);
  const env = JSON.parse(readFileSync(file, 'utf8')) as { kubeconfig: string; apiserver: string; stateDir?: string };
  if (!existsSync(env.kubeconfig)) throw new Error(`the testenv kubeconfig ${env.kubeconfig} is missing; ${FIX}`);
  // The control plane may be another checkout's (a worktree's testenv.json links to it): its pids are in its own state dir.
  const stateDir = env.stateDir ?? join(root, '.bosun', 'testenv');
  return { kubeconfig: env.kubeconfig, apiserver: env.apiserver, port: Number(new URL(env.apiserver).port || 443), stateDir };
}

export const FIELD_MANAGER = 'bench-direct';

/** The Deployment Bosun's deployer would apply for `{namespace, name, image, replicas}` (same domain function). */
export function manifestFor(namespace: string, name: string, replicas: number): KubernetesObject {
  return buildDeploymentManifest(deployRequestSchema.parse({ namespace, name, image: 'nginx:1.27', replicas })) as unknown as KubernetesObject;
}

export interface KubeAnswer { status: number; body: any }

export class Kube {
  readonly kc = new KubeConfig();
  readonly objects: KubernetesObjectApi;
  private agent!: https.Agent;
  private server!: URL;

  private constructor(readonly env: Testenv) {
    this.kc.loadFromFile(env.kubeconfig);
    this.objects = KubernetesObjectApi.makeApiClient(this.kc);
  }

  static async connect(env: Testenv): Promise<Kube> {
    const k = new Kube(env);
    const opts: https.RequestOptions = {};
    await k.kc.applyToHTTPSOptions(opts);
    k.agent = new https.Agent({ keepAlive: true, maxSockets: 64, ca: opts.ca, cert: opts.cert, key: opts.key });
    k.server = new URL(k.kc.getCurrentCluster()!.server);
    const ready = await k.request('GET', '/readyz').catch((e: Error) => ({ status: 0, body: e.message }));
    if (ready.status !== 200) throw new Error(`the test apiserver ${env.apiserver} is not ready (${ready.status} ${String(ready.body).trim()}); ${FIX}`);
    return k;
  }

  /** One request over the keep-alive agent; JSON bodies in and (when JSON) out. */
  request(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<KubeAnswer> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = https.request(new URL(path, this.server), {
        method, agent: this.agent, timeout: 60_000,
        headers: { accept: 'application/json', ...(payload === undefined ? {} : { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) }) },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = raw;
          if (/json/.test(String(res.headers['content-type']))) { try { parsed = JSON.parse(raw); } catch { /* keep text */ } }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within 60 s`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  async must(method: string, path: string, body?: unknown, contentType?: string): Promise<any> {
    const r = await this.request(method, path, body, contentType);
    if (r.status < 200 || r.status >= 300) throw new Error(`${method} ${path} → ${r.status}: ${typeof r.body === 'string' ? r.body : r.body?.message ?? JSON.stringify(r.body)}`);
    return r.body;
  }

  /** Baseline 1: server-side apply as a plain keep-alive HTTPS PATCH (`application/apply-patch+yaml`; JSON is YAML). */
  applyHttps(manifest: KubernetesObject): Promise<unknown> {
    const { namespace, name } = manifest.metadata!;
    return this.must('PATCH', `/apis/apps/v1/namespaces/${namespace}/deployments/${name}?fieldManager=${FIELD_MANAGER}&force=true`, manifest, 'application/apply-patch+yaml');
  }

  /** Baseline 2: server-side apply with client-node 2.x's `KubernetesObjectApi.patch`. */
  applyClientNode(manifest: KubernetesObject): Promise<unknown> {
    return this.objects.patch(manifest, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
  }

  createNamespace(name: string): Promise<unknown> {
    return this.must('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'bosun.dev/bench': 'deploy' } } });
  }

  async deleteNamespace(name: string): Promise<void> {
    await this.request('DELETE', `/api/v1/namespaces/${name}`, { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' });
  }

  async namespaceGone(name: string): Promise<boolean> {
    return (await this.request('GET', `/api/v1/namespaces/${name}`)).status === 404;
  }

  /** Deletes every Deployment (and ReplicaSet) of a namespace in one call each. */
  async deleteDeployments(namespace: string): Promise<void> {
    await this.must('DELETE', `/apis/apps/v1/namespaces/${namespace}/deployments`, { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' });
    await this.must('DELETE', `/apis/apps/v1/namespaces/${namespace}/replicasets`, { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' });
  }

  /** Pods the nodes can still take: Σ allocatable pods − pods that are not finished (scheduled or pending). */
  async freePodSlots(): Promise<{ capacity: number; used: number; free: number }> {
    const nodes = await this.must('GET', '/api/v1/nodes');
    const capacity = (nodes.items as any[]).reduce((n, node) => n + Number(node.status?.allocatable?.pods ?? 0), 0);
    const pods = await this.must('GET', '/api/v1/pods?fieldSelector=status.phase!%3DSucceeded,status.phase!%3DFailed');
    const used = (pods.items as any[]).length;
    return { capacity, used, free: capacity - used };
  }

  /** `apiserver_longrunning_requests{verb="WATCH"}`, summed: apps/deployments+replicasets and all resources. */
  async watchGauge(): Promise<{ deploymentsAndReplicaSets: number; all: number }> {
    const text = String((await this.request('GET', '/metrics')).body);
    let apps = 0;
    let all = 0;
    for (const line of text.split('\n')) {
      if (!line.startsWith('apiserver_longrunning_requests{') || !line.includes('verb="WATCH"')) continue;
      const v = Number(line.slice(line.lastIndexOf(' ') + 1));
      all += v;
      if (line.includes('group="apps"') && /resource="(deployments|replicasets)"/.test(line)) apps += v;
    }
    return { deploymentsAndReplicaSets: apps, all };
  }

  close(): void {
    this.agent.destroy();
  }
}

/**
 * Watches the Deployments of some namespaces and remembers when each was first seen
 * (`visible`) and when the controller first reported a status for its current generation
 * (`observed`), in the bench's monotonic clock. Restarts from the last resourceVersion if the
 * watch ends.
 */
export class DeploymentWatch {
  private readonly seen = new Map<string, number>();
  private readonly observed = new Map<string, number>();
  private readonly waiters = new Map<string, ((t: number) => void)[]>();
  private readonly observers = new Map<string, ((t: number) => void)[]>();
  private readonly aborts: AbortController[] = [];
  private stopped = false;

  constructor(private readonly kc: KubeConfig, private readonly namespaces: string[]) {}

  async start(): Promise<void> {
    await Promise.all(this.namespaces.map((ns) => this.watch(ns, undefined)));
  }

  private async watch(ns: string, rv: string | undefined): Promise<void> {
    const w = new Watch(this.kc);
    // client-node aborts a watch after 30 s without a byte; phases can be quieter than that.
    (w as unknown as { requestTimeoutMs: number }).requestTimeoutMs = 600_000;
    let last = rv;
    const ac = await w.watch(`/apis/apps/v1/namespaces/${ns}/deployments`, { allowWatchBookmarks: true, ...(rv ? { resourceVersion: rv } : {}) }, (type, obj) => {
      const t = nowMs();
      last = obj?.metadata?.resourceVersion ?? last;
      if (type !== 'ADDED' && type !== 'MODIFIED') return;
      const key = `${obj.metadata.namespace}/${obj.metadata.name}`;
      if (!this.seen.has(key)) this.fire(this.seen, this.waiters, key, t);
      if (!this.observed.has(key) && (obj.status?.observedGeneration ?? 0) >= (obj.metadata.generation ?? 1)) this.fire(this.observed, this.observers, key, t);
    }, () => {
      if (!this.stopped) setTimeout(() => void this.watch(ns, last).catch(() => undefined), 200);
    });
    this.aborts.push(ac);
  }

  private fire(times: Map<string, number>, waiting: Map<string, ((t: number) => void)[]>, key: string, t: number): void {
    times.set(key, t);
    for (const w of waiting.get(key) ?? []) w(t);
    waiting.delete(key);
  }

  private when(times: Map<string, number>, waiting: Map<string, ((t: number) => void)[]>, key: string): Promise<number> {
    const t = times.get(key);
    if (t !== undefined) return Promise.resolve(t);
    return new Promise((resolve) => waiting.set(key, [...(waiting.get(key) ?? []), resolve]));
  }

  /** When the Deployment was first seen by a watcher. */
  visible(ns: string, name: string): Promise<number> {
    return this.when(this.seen, this.waiters, `${ns}/${name}`);
  }

  /** When the Deployment controller first reported a status for the Deployment's generation. */
  controllerObserved(ns: string, name: string): Promise<number> {
    return this.when(this.observed, this.observers, `${ns}/${name}`);
  }

  stop(): void {
    this.stopped = true;
    for (const a of this.aborts) a.abort();
  }
}
