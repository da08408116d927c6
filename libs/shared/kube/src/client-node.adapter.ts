import type { KubeConfig } from '@kubernetes/client-node';
import type { BackoffOptions } from './backoff.policy';
import { KubeError } from './kube.errors';
import { silentLogger, type KubeLogger } from './kube.logger';
import type { CallOptions, DeleteOptions, EvictionResult, EvictOptions, KubeObject, KubePort, ListQuery, ObjectRef, PatchType, ServerVersion, SharedInformer } from './kube.port';
import { KubeTransport, type KubeRequest } from './kube.transport';
import { resourcePath, type PathTarget } from './resource.paths';
import { ResourceResolver } from './resource.resolver';
import { ListWatchInformer, type ListResult, type WatchHandle } from './shared-informer';

export const FIELD_MANAGER = 'bosun';

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
};
const APPLY_CONTENT_TYPE = 'application/apply-patch+yaml';
const LIST_PAGE_SIZE = 500;
// The apiserver sends bookmarks about once a minute: a watch silent for longer than this is
// taken for dead and reopened (client-node's Watch gave up after 30 s, twice a minute for nothing).
const WATCH_INACTIVITY_MS = 150_000;

export interface ClientNodeAdapterOptions {
  kubeConfig: KubeConfig;
  /** Names the cluster in logs. */
  cluster: string;
  logger?: KubeLogger;
  backoff?: BackoffOptions;
  requestTimeoutMs?: number;
}

interface ListBody<T> {
  items?: T[];
  metadata?: { resourceVersion?: string; continue?: string };
}

function targetOf(ref: ObjectRef, subresource?: string): PathTarget {
  return { namespace: ref.namespace, name: ref.name, subresource };
}

function refOf(obj: KubeObject): ObjectRef {
  if (!obj?.metadata?.name) {
    throw new KubeError(400, 'BadRequest', 'metadata.name is required');
  }
  return { apiVersion: obj.apiVersion, kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name };
}

/** The `KubePort` of one cluster, built on @kubernetes/client-node's KubeConfig and Watch. */
export class ClientNodeKubeAdapter implements KubePort {
  private readonly transport: KubeTransport;
  private readonly resolver: ResourceResolver;
  private readonly informers = new Map<string, ListWatchInformer<KubeObject>>();
  private readonly logger: KubeLogger;

  constructor(private readonly opts: ClientNodeAdapterOptions) {
    this.transport = new KubeTransport(opts.kubeConfig, opts.requestTimeoutMs);
    this.resolver = new ResourceResolver(this.transport);
    this.logger = opts.logger ?? silentLogger;
  }

  get server(): string {
    return this.transport.server;
  }

  /** The wire to this cluster: `h2` (one multiplexed connection) or `http/1.1`, and its TCP connections now. */
  wire(): { protocol: string; connections: number } {
    return this.transport.wire();
  }

  async apply<T extends KubeObject>(obj: T, opts: CallOptions & { force?: boolean } = {}): Promise<T> {
    const path = await this.pathOf(refOf(obj));
    return this.call<T>(opts, {
      method: 'PATCH',
      path,
      query: { fieldManager: FIELD_MANAGER, force: opts.force ? true : undefined },
      body: obj,
      contentType: APPLY_CONTENT_TYPE,
    });
  }

  async get<T extends KubeObject>(ref: ObjectRef, opts: CallOptions = {}): Promise<T | undefined> {
    const path = await this.pathOf(ref);
    try {
      return await this.call<T>(opts, { method: 'GET', path });
    } catch (err) {
      if (err instanceof KubeError && err.status === 404) {
        return undefined;
      }
      throw err;
    }
  }

  async list<T extends KubeObject>(q: ListQuery, opts: CallOptions = {}): Promise<T[]> {
    return (await this.listAll<T>(q, opts)).items;
  }

  async delete(ref: ObjectRef, opts: DeleteOptions = {}): Promise<'deleted' | 'absent'> {
    const path = await this.pathOf(ref);
    // Preconditions only travel in a DeleteOptions body; the apiserver refuses options given twice (query and body).
    const body = opts.preconditions
      ? { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: opts.preconditions, ...(opts.propagationPolicy ? { propagationPolicy: opts.propagationPolicy } : {}) }
      : undefined;
    try {
      await this.call(opts, body ? { method: 'DELETE', path, body } : { method: 'DELETE', path, query: { propagationPolicy: opts.propagationPolicy } });
      return 'deleted';
    } catch (err) {
      if (err instanceof KubeError && err.status === 404) {
        return 'absent';
      }
      throw err;
    }
  }

  async patch<T extends KubeObject>(ref: ObjectRef, patch: unknown, type: PatchType, opts: CallOptions = {}): Promise<T> {
    return this.patchAt<T>(ref, undefined, patch, type, opts);
  }

  async patchStatus<T extends KubeObject>(ref: ObjectRef, patch: unknown, type: PatchType, opts: CallOptions = {}): Promise<T> {
    return this.patchAt<T>(ref, 'status', patch, type, opts);
  }

  private async patchAt<T>(ref: ObjectRef, subresource: string | undefined, patch: unknown, type: PatchType, opts: CallOptions): Promise<T> {
    const path = await this.pathOf(ref, subresource);
    const contentType = PATCH_CONTENT_TYPES[type];
    if (!contentType) {
      throw new KubeError(400, 'BadRequest', `unknown patch type "${String(type)}"`);
    }
    return this.call<T>(opts, { method: 'PATCH', path, query: { fieldManager: FIELD_MANAGER }, body: patch, contentType });
  }

  async scale(ref: ObjectRef, replicas: number, opts: CallOptions = {}): Promise<void> {
    if (!Number.isInteger(replicas) || replicas < 0) {
      throw new KubeError(400, 'BadRequest', `replicas must be a non-negative integer, got ${replicas}`);
    }
    const path = await this.pathOf(ref, 'scale');
    await this.call(opts, {
      method: 'PATCH',
      path,
      query: { fieldManager: FIELD_MANAGER },
      body: { spec: { replicas } },
      contentType: PATCH_CONTENT_TYPES.merge,
    });
  }

  async evict(pod: { namespace: string; name: string }, opts: EvictOptions = {}): Promise<'evicted' | 'blocked' | 'absent'> {
    return (await this.tryEvict(pod, opts)).outcome;
  }

  async tryEvict(pod: { namespace: string; name: string }, opts: EvictOptions = {}): Promise<EvictionResult> {
    const path = await this.pathOf({ apiVersion: 'v1', kind: 'Pod', ...pod }, 'eviction');
    const deleteOptions = opts.gracePeriodSeconds === undefined ? {} : { deleteOptions: { gracePeriodSeconds: opts.gracePeriodSeconds } };
    const body = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod.name, namespace: pod.namespace }, ...deleteOptions };
    try {
      await this.call(opts, { method: 'POST', path, body, ...(opts.dryRun ? { query: { dryRun: 'All' } } : {}) });
      return { outcome: 'evicted' };
    } catch (err) {
      // 429 is how the Eviction API says a PodDisruptionBudget forbids it right now; its causes name the budget.
      if (err instanceof KubeError && err.status === 429) return { outcome: 'blocked', message: err.message, causes: err.causes ?? [] };
      if (err instanceof KubeError && err.status === 404) return { outcome: 'absent' };
      throw err;
    }
  }

  async createSubresource<T = unknown>(ref: ObjectRef, subresource: string, body: unknown, opts: CallOptions = {}): Promise<T> {
    return this.call<T>(opts, { method: 'POST', path: await this.pathOf(ref, subresource), body });
  }

  async create<T extends KubeObject>(obj: T, opts: CallOptions = {}): Promise<T> {
    const resource = await this.resolver.resolve(obj.apiVersion, obj.kind);
    const path = resourcePath(obj.apiVersion, resource, { namespace: obj.metadata?.namespace });
    if (resource.namespaced && !obj.metadata?.namespace) {
      throw new KubeError(400, 'BadRequest', `a namespace is required for ${obj.kind} "${obj.metadata?.name ?? ''}"`);
    }
    return this.call<T>(opts, { method: 'POST', path, query: { fieldManager: FIELD_MANAGER }, body: obj });
  }

  serverVersion(opts: { signal?: AbortSignal } = {}): Promise<ServerVersion> {
    return this.transport.request({ method: 'GET', path: '/version', signal: opts.signal });
  }

  informer<T extends KubeObject>(kind: { apiVersion: string; kind: string }): SharedInformer<T> {
    const key = `${kind.apiVersion}/${kind.kind}`;
    let informer = this.informers.get(key);
    if (!informer || informer.isStopped) {
      informer = new ListWatchInformer<KubeObject>(this.listWatchSource(kind), {
        name: `${this.opts.cluster}/${key}`,
        logger: this.logger,
        backoff: this.opts.backoff,
      });
      this.informers.set(key, informer);
    }
    return informer as unknown as SharedInformer<T>;
  }

  /** Stops every informer of this cluster and closes its pooled connections. */
  close(): void {
    for (const informer of this.informers.values()) {
      informer.stop();
    }
    this.informers.clear();
    this.transport.destroy();
  }

  private async pathOf(ref: ObjectRef, subresource?: string): Promise<string> {
    const resource = await this.resolver.resolve(ref.apiVersion, ref.kind);
    return resourcePath(ref.apiVersion, resource, targetOf(ref, subresource));
  }

  private call<T>(opts: CallOptions, req: KubeRequest): Promise<T> {
    return this.transport.request<T>({ ...req, as: opts.as, signal: opts.signal });
  }

  private async listAll<T extends KubeObject>(q: ListQuery, opts: CallOptions): Promise<ListResult<T>> {
    const resource = await this.resolver.resolve(q.apiVersion, q.kind);
    const path = resourcePath(q.apiVersion, resource, { namespace: q.namespace });
    const items: T[] = [];
    let page: ListBody<T> = {};
    do {
      const query = { labelSelector: q.labelSelector, fieldSelector: q.fieldSelector, limit: LIST_PAGE_SIZE, continue: page.metadata?.continue };
      page = await this.call<ListBody<T>>(opts, { method: 'GET', path, query });
      // List items carry no apiVersion/kind; fill them so items look like single GETs.
      items.push(...(page.items ?? []).map((o) => ({ ...o, apiVersion: q.apiVersion, kind: q.kind })));
    } while (page.metadata?.continue);
    return { items, resourceVersion: page.metadata?.resourceVersion ?? '' };
  }

  private listWatchSource(kind: { apiVersion: string; kind: string }): {
    list(): Promise<ListResult<KubeObject>>;
    watch(rv: string, onEvent: (type: string, obj: unknown) => void, onDone: (err?: unknown) => void): Promise<WatchHandle>;
  } {
    return {
      list: () => this.listAll<KubeObject>(kind, {}),
      watch: async (rv, onEvent, onDone) => {
        const resource = await this.resolver.resolve(kind.apiVersion, kind.kind);
        const path = resourcePath(kind.apiVersion, resource);
        // Server-side timeouts spread like client-go's (5–10 min) so watches do not all end together.
        const timeoutSeconds = 300 + Math.floor(Math.random() * 300);
        const query = { resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds };
        // On the cluster's one connection, beside every request (see ApiConnection).
        return this.transport.watch(path, query, WATCH_INACTIVITY_MS, { onEvent, onDone });
      },
    };
  }
}
