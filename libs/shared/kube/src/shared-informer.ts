import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.policy';
import { InformerCache } from './informer.cache';
import type { KubeLogger } from './kube.logger';
import type { InformerHealth, KubeObject, SharedInformer, WatchEventType } from './kube.port';

export interface ListResult<T> {
  items: T[];
  resourceVersion: string;
}

export interface WatchHandle {
  abort(): void;
}

/** The two calls an informer needs; the adapter binds them to one cluster and resource. */
export interface ListWatchSource<T> {
  list(): Promise<ListResult<T>>;
  /** Opens a watch from `resourceVersion`; `onDone` fires exactly once when it ends, with the error if any. */
  watch(resourceVersion: string, onEvent: (type: string, obj: unknown) => void, onDone: (err?: unknown) => void): Promise<WatchHandle>;
}

export interface InformerOptions {
  /** For logs, e.g. `default/apps/v1/Deployment`. */
  name: string;
  logger: KubeLogger;
  backoff?: BackoffOptions;
  random?: () => number;
}

type Listener<T> = (type: WatchEventType, obj: T) => void;
interface WatchEnd {
  error?: unknown;
  progressed: boolean;
}

const rvOf = (obj: KubeObject): string | undefined => obj.metadata?.resourceVersion as string | undefined;
const messageOf = (err: unknown): string => (err instanceof Error ? err.message : JSON.stringify(err));

/**
 * List+watch of one resource in all namespaces. Unlike client-node's ListWatch, which
 * stops for good on a watch error, this loop always restarts: after a close or error
 * it waits a jittered, growing delay, resumes from the last resourceVersion, and
 * relists when the server says that version is too old (410 Gone).
 */
export class ListWatchInformer<T extends KubeObject> implements SharedInformer<T> {
  private cache = new InformerCache<T>();
  private readonly listeners = new Set<Listener<T>>();
  private resourceVersion = '';
  private attempt = 0;
  private started = false;
  private stopped = false;
  private synced = false;
  private watching = false;
  private restarts = 0;
  private lastError?: string;
  private handle?: WatchHandle;
  private readonly wake = new AbortController();
  private markSynced: () => void = () => undefined;
  private readonly firstSync = new Promise<void>((resolve) => (this.markSynced = resolve));

  constructor(
    private readonly source: ListWatchSource<T>,
    private readonly opts: InformerOptions,
  ) {}

  /** Resolves once the first list is cached (or the informer is stopped); failures are retried and shown by `health()`. */
  start(): Promise<void> {
    if (!this.started && !this.stopped) {
      this.started = true;
      void this.run();
    }
    return this.firstSync;
  }

  onEvent(fn: Listener<T>): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  list(namespace?: string): T[] {
    return this.cache.list(namespace);
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.cache.get(namespace, name);
  }

  controlledBy(uid: string): T[] {
    return this.cache.controlledBy(uid);
  }

  health(): InformerHealth {
    return { synced: this.synced, lastError: this.lastError, restarts: this.restarts, watching: this.watching };
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  stop(): void {
    this.stopped = true;
    this.wake.abort();
    this.handle?.abort();
    this.markSynced();
  }

  /** Test hook: drops the current watch connection the way a network failure would. */
  __breakWatch(): void {
    this.handle?.abort();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const end = await this.cycle();
      if (this.stopped) {
        return;
      }
      this.attempt = end.progressed && !end.error ? 1 : this.attempt + 1;
      const delayMs = backoffDelay(this.attempt, this.opts.backoff ?? DEFAULT_BACKOFF, this.opts.random);
      this.report(end, delayMs);
      await sleep(delayMs, undefined, { signal: this.wake.signal, ref: false }).catch(() => undefined);
      this.restarts += 1;
    }
  }

  private report(end: WatchEnd, delayMs: number): void {
    const ctx = { informer: this.opts.name, attempt: this.attempt, delayMs };
    if (end.error) {
      this.lastError = messageOf(end.error);
      this.opts.logger.warn({ ...ctx, err: this.lastError }, 'informer list/watch failed, retrying');
    } else {
      this.opts.logger.debug(ctx, 'informer watch closed, reconnecting');
    }
  }

  private async cycle(): Promise<WatchEnd> {
    try {
      if (!this.resourceVersion) {
        await this.relist();
      }
      return await this.watchOnce();
    } catch (err) {
      return { error: err, progressed: false };
    }
  }

  private async relist(): Promise<void> {
    const { items, resourceVersion } = await this.source.list();
    const previous = this.cache;
    this.cache = new InformerCache<T>();
    for (const obj of items) this.cache.set(obj);
    for (const obj of this.cache.values()) {
      const old = previous.get(obj.metadata.namespace, obj.metadata.name!);
      if (!old) {
        this.emit('ADDED', obj);
      } else if (rvOf(old) !== rvOf(obj)) {
        this.emit('MODIFIED', obj);
      }
    }
    for (const obj of previous.values()) {
      if (!this.cache.has(obj)) {
        this.emit('DELETED', obj);
      }
    }
    this.resourceVersion = resourceVersion;
    this.synced = true;
    this.lastError = undefined;
    this.markSynced();
    this.opts.logger.debug({ informer: this.opts.name, count: items.length }, 'informer listed');
  }

  private watchOnce(): Promise<WatchEnd> {
    return new Promise((resolve) => {
      let ended = false;
      let progressed = false;
      const onEvent = (type: string, obj: unknown): void => {
        progressed = this.handleEvent(type, obj) || progressed;
      };
      const onDone = (err?: unknown): void => {
        if (ended) {
          return;
        }
        ended = true;
        this.watching = false;
        this.handle = undefined;
        resolve({ error: this.classify(err), progressed });
      };
      this.source.watch(this.resourceVersion, onEvent, onDone).then(
        (handle) => this.attach(handle, ended),
        (err: unknown) => onDone(err),
      );
    });
  }

  private attach(handle: WatchHandle, ended: boolean): void {
    if (ended) {
      return;
    }
    this.handle = handle;
    this.watching = true;
    if (this.stopped) {
      handle.abort();
    }
  }

  /** Turns a watch ending into an error worth reporting, or undefined for a normal end. */
  private classify(err: unknown): unknown {
    const e = err as { name?: string; statusCode?: number; code?: number } | null | undefined;
    if (!e || e.name === 'TimeoutError' || this.stopped) {
      return undefined;
    }
    if (e.statusCode === 410 || e.code === 410) {
      this.resourceVersion = '';
      return undefined;
    }
    return err;
  }

  /** Applies one watch event; returns whether it was progress (an object or bookmark). */
  private handleEvent(type: string, raw: unknown): boolean {
    const obj = raw as T;
    if (type === 'ERROR') {
      this.onWatchError(raw as { code?: number; message?: string });
      return false;
    }
    const rv = rvOf(obj);
    if (rv) {
      this.resourceVersion = rv;
    }
    if (type === 'ADDED' || type === 'MODIFIED') {
      this.cache.set(obj);
      this.emit(type, obj);
    } else if (type === 'DELETED') {
      this.cache.delete(obj);
      this.emit(type, obj);
    }
    this.lastError = undefined;
    return true;
  }

  private onWatchError(status: { code?: number; message?: string }): void {
    // The server ends the watch after an ERROR event; the loop then reconnects.
    if (status?.code === 410) {
      this.resourceVersion = '';
      this.opts.logger.debug({ informer: this.opts.name }, 'resourceVersion too old, relisting');
      return;
    }
    this.lastError = status?.message ?? 'watch error';
  }

  private emit(type: WatchEventType, obj: T): void {
    for (const fn of [...this.listeners]) {
      try {
        fn(type, obj);
      } catch (err) {
        // One failing consumer must not starve the others sharing this watch.
        this.opts.logger.error({ informer: this.opts.name, err: messageOf(err) }, 'informer listener threw');
      }
    }
  }
}
