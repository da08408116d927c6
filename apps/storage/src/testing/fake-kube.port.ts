// Test-only: an in-memory KubePort (our own port) for unit tests: objects by kind/namespace/name,
// merge patches with the resourceVersion precondition, AlreadyExists/NotFound, informers over the store.
import { controllerUidOf, KubeError } from '@bosun/kube';
import type { AccessAttributes, CallOptions, Identity, KubeObject, KubePort, ListQuery, ObjectRef, SharedInformer, WatchEventType } from '@bosun/kube';

type Listener = (type: WatchEventType, obj: KubeObject) => void;
const keyOf = (r: { kind: string; namespace?: string; name: string }): string => `${r.kind}/${r.namespace ?? ''}/${r.name}`;
const CLUSTER_SCOPED = new Set(['PersistentVolume', 'StorageClass', 'Node', 'Namespace']);

const merge = (target: unknown, patch: unknown): unknown => {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = { ...((target && typeof target === 'object' && !Array.isArray(target)) ? target as Record<string, unknown> : {}) };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = merge(out[k], v);
  }
  return out;
};

export class FakeKubePort implements Partial<KubePort> {
  readonly objects = new Map<string, KubeObject>();
  readonly calls: string[] = [];
  /** The GETs and LISTs made (writes are in `calls`). */
  readonly reads: string[] = [];
  /** The SelfSubjectAccessReviews asked, and who may: everybody unless a test says otherwise. */
  readonly reviews: Array<{ as?: Identity; attributes: AccessAttributes }> = [];
  allows: (as: Identity | undefined, attributes: AccessAttributes) => boolean = () => true;
  private version = 1;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly informers = new Map<string, SharedInformer<KubeObject>>();

  seed(...objs: KubeObject[]): this {
    for (const o of objs) this.store(o, 'ADDED');
    return this;
  }

  all(kind: string): KubeObject[] {
    return [...this.objects.values()].filter((o) => o.kind === kind);
  }

  async get<T extends KubeObject>(ref: ObjectRef): Promise<T | undefined> {
    this.reads.push(`get ${ref.kind} ${ref.name}`);
    return this.objects.get(keyOf(this.scoped(ref))) as T | undefined;
  }

  async list<T extends KubeObject>(q: ListQuery): Promise<T[]> {
    this.reads.push(`list ${q.kind}${q.namespace ? ` ${q.namespace}` : ''}`);
    return this.all(q.kind).filter((o) => !q.namespace || o.metadata.namespace === q.namespace) as T[];
  }

  async create<T extends KubeObject>(obj: T, opts: CallOptions = {}): Promise<T> {
    if (obj.kind === 'SelfSubjectAccessReview') {
      const attributes = (obj.spec as { resourceAttributes: AccessAttributes }).resourceAttributes;
      this.reviews.push({ as: opts.as, attributes });
      return { ...obj, status: { allowed: this.allows(opts.as, attributes) } };
    }
    this.calls.push(`create ${obj.kind} ${obj.metadata.name}`);
    if (this.objects.has(keyOf(this.scoped({ ...obj, name: obj.metadata.name, namespace: obj.metadata.namespace })))) {
      throw new KubeError(409, 'AlreadyExists', `${obj.kind} "${obj.metadata.name}" already exists`);
    }
    return this.store({ ...obj, metadata: { uid: `uid-${obj.metadata.name}`, ...obj.metadata } }, 'ADDED') as T;
  }

  async apply<T extends KubeObject>(obj: T): Promise<T> {
    this.calls.push(`apply ${obj.kind} ${obj.metadata.name}`);
    const live = await this.get({ ...obj, name: obj.metadata.name, namespace: obj.metadata.namespace });
    return this.store(merge(live, obj) as KubeObject, live ? 'MODIFIED' : 'ADDED') as T;
  }

  async patch<T extends KubeObject>(ref: ObjectRef, patch: unknown): Promise<T> {
    this.calls.push(`patch ${ref.kind} ${ref.name}`);
    const live = await this.get(ref);
    if (!live) throw new KubeError(404, 'NotFound', `${ref.kind} "${ref.name}" not found`);
    const wanted = (patch as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion;
    if (wanted && wanted !== live.metadata.resourceVersion) throw new KubeError(409, 'Conflict', 'the object has been modified');
    return this.store(merge(live, patch) as KubeObject, 'MODIFIED') as T;
  }

  /** The `/status` subresource: only `status` changes. */
  async patchStatus<T extends KubeObject>(ref: ObjectRef, patch: { status: unknown }): Promise<T> {
    this.calls.push(`patch-status ${ref.kind} ${ref.name}`);
    const live = await this.get(ref);
    if (!live) throw new KubeError(404, 'NotFound', `${ref.kind} "${ref.name}" not found`);
    return this.store({ ...live, status: merge(live.status, patch.status) }, 'MODIFIED') as T;
  }

  async delete(ref: ObjectRef): Promise<'deleted' | 'absent'> {
    this.calls.push(`delete ${ref.kind} ${ref.name}`);
    const key = keyOf(this.scoped(ref));
    const live = this.objects.get(key);
    if (!live) return 'absent';
    this.objects.delete(key);
    this.emit('DELETED', live);
    return 'deleted';
  }

  /** One informer per kind, as the adapter hands out. */
  informer<T extends KubeObject>(kind: { apiVersion: string; kind: string }): SharedInformer<T> {
    const made = this.informers.get(kind.kind) ?? this.makeInformer(kind);
    this.informers.set(kind.kind, made);
    return made as SharedInformer<T>;
  }

  private makeInformer(kind: { apiVersion: string; kind: string }): SharedInformer<KubeObject> {
    const listeners = this.listeners.get(kind.kind) ?? new Set<Listener>();
    this.listeners.set(kind.kind, listeners);
    return {
      start: async () => undefined,
      onEvent: (fn) => {
        listeners.add(fn as Listener);
        return () => listeners.delete(fn as Listener);
      },
      list: (ns?: string) => this.all(kind.kind).filter((o) => !ns || o.metadata.namespace === ns),
      get: (ns: string | undefined, name: string) => this.objects.get(keyOf(this.scoped({ kind: kind.kind, namespace: ns, name }))),
      controlledBy: (uid: string) => this.all(kind.kind).filter((o) => controllerUidOf(o) === uid),
      health: () => ({ synced: true, restarts: 0, watching: true }),
      stop: () => undefined,
    };
  }

  private scoped<R extends { kind: string; namespace?: string; name: string }>(r: R): R {
    return CLUSTER_SCOPED.has(r.kind) ? { ...r, namespace: undefined } : r;
  }

  private store(obj: KubeObject, type: WatchEventType): KubeObject {
    const stored = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(this.version++) } };
    this.objects.set(keyOf(this.scoped({ kind: stored.kind, namespace: stored.metadata.namespace, name: stored.metadata.name })), stored);
    this.emit(type, stored);
    return stored;
  }

  private emit(type: WatchEventType, obj: KubeObject): void {
    for (const fn of this.listeners.get(obj.kind) ?? []) fn(type, obj);
  }
}

export const asPort = (fake: FakeKubePort): KubePort => fake as unknown as KubePort;
