import type { KubeObject } from './kube.port';

const keyOf = (namespace: string | undefined, name: string): string => `${namespace ?? ''}/${name}`;
const nsOf = (obj: KubeObject): string => obj.metadata.namespace ?? '';

/** The uid of the object's controller (the ownerReference with `controller: true`), as client-go's controllers index it. */
export const controllerUidOf = (obj: KubeObject): string | undefined => {
  const refs = (obj.metadata as { ownerReferences?: { uid?: string; controller?: boolean }[] }).ownerReferences;
  return refs?.find((o) => o.controller === true)?.uid;
};

/**
 * An informer's objects, indexed the way its readers ask (client-go's Indexer): by key, by
 * namespace and by controller uid. Reading one namespace or one owner's objects costs what
 * it returns, not a scan of every object in the cluster — a Deployment's ReplicaSets are
 * looked up on every event of every rollout being tracked.
 */
export class InformerCache<T extends KubeObject> {
  private readonly byKey = new Map<string, T>();
  private readonly byNamespace = new Map<string, Map<string, T>>();
  private readonly byController = new Map<string, Map<string, T>>();

  get size(): number {
    return this.byKey.size;
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.byKey.get(keyOf(namespace, name));
  }

  has(obj: T): boolean {
    return this.byKey.has(keyOf(obj.metadata.namespace, obj.metadata.name!));
  }

  list(namespace?: string): T[] {
    if (namespace === undefined) return [...this.byKey.values()];
    return [...(this.byNamespace.get(namespace)?.values() ?? [])];
  }

  /** Objects whose controller ownerReference has this uid. */
  controlledBy(uid: string): T[] {
    return [...(this.byController.get(uid)?.values() ?? [])];
  }

  /** Returns the object it replaced, if any. */
  set(obj: T): T | undefined {
    const key = keyOf(obj.metadata.namespace, obj.metadata.name!);
    const old = this.byKey.get(key);
    if (old) this.unindex(key, old);
    this.byKey.set(key, obj);
    this.index(this.byNamespace, nsOf(obj), key, obj);
    const owner = controllerUidOf(obj);
    if (owner) this.index(this.byController, owner, key, obj);
    return old;
  }

  delete(obj: T): void {
    const key = keyOf(obj.metadata.namespace, obj.metadata.name!);
    const old = this.byKey.get(key);
    if (!old) return;
    this.byKey.delete(key);
    this.unindex(key, old);
  }

  values(): IterableIterator<T> {
    return this.byKey.values();
  }

  private index(index: Map<string, Map<string, T>>, at: string, key: string, obj: T): void {
    let bucket = index.get(at);
    if (!bucket) index.set(at, (bucket = new Map()));
    bucket.set(key, obj);
  }

  private unindex(key: string, old: T): void {
    this.drop(this.byNamespace, nsOf(old), key);
    const owner = controllerUidOf(old);
    if (owner) this.drop(this.byController, owner, key);
  }

  private drop(index: Map<string, Map<string, T>>, at: string, key: string): void {
    const bucket = index.get(at);
    if (!bucket) return;
    bucket.delete(key);
    if (bucket.size === 0) index.delete(at);
  }
}
