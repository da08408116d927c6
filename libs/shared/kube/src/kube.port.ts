import type { KubeCause } from './kube.errors';

/** A Kubernetes user (and groups) that a call is made as, via `Impersonate-User` / `Impersonate-Group`. */
export interface Identity {
  user: string;
  groups?: string[];
}

/** Points at one object; `namespace` is ignored for cluster-scoped kinds. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** Any Kubernetes object, kept as the apiserver's plain JSON (no client-side model conversion). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
}

/** Options every call accepts. */
export interface CallOptions {
  /** Impersonate this subject; omitted means Bosun's own credentials. */
  as?: Identity;
  /** Aborting rejects the call with a `KubeError` of reason `Aborted`. */
  signal?: AbortSignal;
}

/** How to delete: the propagation policy, and preconditions that turn "not the object I read" into 409 Conflict. */
export interface DeleteOptions extends CallOptions {
  propagationPolicy?: PropagationPolicy;
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** An eviction: a server-side dry run exercises the real PodDisruptionBudget checks and changes nothing. */
export interface EvictOptions extends CallOptions {
  dryRun?: boolean;
  gracePeriodSeconds?: number;
}

/** What an eviction came to; a refusal (429) carries the apiserver's message and causes (`DisruptionBudget`: "The disruption budget web needs 2 healthy pods and has 2 currently"). */
export interface EvictionResult {
  outcome: 'evicted' | 'blocked' | 'absent';
  message?: string;
  causes?: KubeCause[];
}

/** A list query: all namespaces when `namespace` is omitted. */
export interface ListQuery {
  apiVersion: string;
  kind: string;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/** The apiserver's `/version` (the fields Bosun uses). */
export interface ServerVersion {
  gitVersion: string;
  major: string;
  minor: string;
}

export type PatchType = 'merge' | 'strategic' | 'json';
export type PropagationPolicy = 'Foreground' | 'Background' | 'Orphan';
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** What `SharedInformer.health()` reports. */
export interface InformerHealth {
  /** The initial list has completed at least once. */
  synced: boolean;
  /** The last list or watch failure, if the informer has not recovered since. */
  lastError?: string;
  /** How many times the watch was re-established after it ended. */
  restarts: number;
  /** A watch connection is open right now. */
  watching: boolean;
}

/**
 * A cache of one resource across all namespaces, fed by one list+watch that many
 * consumers share. The watch restarts with jittered back-off after errors or closes.
 */
export interface SharedInformer<T> {
  /** Starts the list+watch (idempotent); resolves once the first list is in the cache. */
  start(): Promise<void>;
  /** Subscribes to changes; returns the unsubscribe function. */
  onEvent(fn: (type: WatchEventType, obj: T) => void): () => void;
  /** Cached objects, of one namespace or all. */
  list(namespace?: string): T[];
  /** One cached object; `namespace` undefined for cluster-scoped kinds. */
  get(namespace: string | undefined, name: string): T | undefined;
  /** Cached objects whose controller ownerReference has this uid (a Deployment's ReplicaSets), from an index. */
  controlledBy(uid: string): T[];
  health(): InformerHealth;
  /** Stops the watch; the registry hands out a fresh informer afterwards. */
  stop(): void;
}

/**
 * Bosun's only way to talk to a Kubernetes cluster. Every failure is a `KubeError`
 * carrying the apiserver's own reason, message and field causes.
 */
export interface KubePort {
  /** Server-side apply with fieldManager `bosun`; `force` takes over conflicting fields. */
  apply<T extends KubeObject>(obj: T, opts?: CallOptions & { force?: boolean }): Promise<T>;
  /** Reads one object; a 404 is `undefined`. */
  get<T extends KubeObject>(ref: ObjectRef, opts?: CallOptions): Promise<T | undefined>;
  /** Lists objects (all pages). */
  list<T extends KubeObject>(q: ListQuery, opts?: CallOptions): Promise<T[]>;
  /** Deletes one object; a 404 is `'absent'` (already done). */
  delete(ref: ObjectRef, opts?: DeleteOptions): Promise<'deleted' | 'absent'>;
  /** Patches one object; `json` takes an RFC 6902 operation array. */
  patch<T extends KubeObject>(ref: ObjectRef, patch: unknown, type: PatchType, opts?: CallOptions): Promise<T>;
  /** Patches the `/status` subresource (what a controller or resizer reports: a claim's capacity and conditions). */
  patchStatus<T extends KubeObject>(ref: ObjectRef, patch: unknown, type: PatchType, opts?: CallOptions): Promise<T>;
  /** Sets replicas through the `/scale` subresource. */
  scale(ref: ObjectRef, replicas: number, opts?: CallOptions): Promise<void>;
  /** Evicts a pod through the Eviction API; a PodDisruptionBudget refusal (429) is `'blocked'`. */
  evict(pod: { namespace: string; name: string }, opts?: EvictOptions): Promise<'evicted' | 'blocked' | 'absent'>;
  /** The same, with the refusal's words and causes (which budget, needs/has). */
  tryEvict(pod: { namespace: string; name: string }, opts?: EvictOptions): Promise<EvictionResult>;
  /** POSTs to a subresource of an object (`serviceaccounts/<sa>/token` for a TokenRequest) and returns the answer. */
  createSubresource<T = unknown>(ref: ObjectRef, subresource: string, body: unknown, opts?: CallOptions): Promise<T>;
  /** Creates an object (fails with `AlreadyExists` when present). */
  create<T extends KubeObject>(obj: T, opts?: CallOptions): Promise<T>;
  /** The apiserver's `/version`. */
  serverVersion(opts?: { signal?: AbortSignal }): Promise<ServerVersion>;
  /** The shared informer of this cluster for one resource (same instance for the same kind). */
  informer<T extends KubeObject>(kind: { apiVersion: string; kind: string }): SharedInformer<T>;
}
