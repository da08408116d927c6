import { Inject, Injectable } from '@nestjs/common';
import type { Operation } from '@bosun/contracts';
import type { Redis } from '@bosun/messaging';
import { applyChange } from '@bosun/gateway-domain';
import type { OperationChange } from '@bosun/gateway-domain';
import { STATE_REDIS } from '../tokens';

const key = (id: string): string => `bosun:op:${id}`;
const INDEX = 'bosun:ops';
const AWAITING = 'bosun:ops:awaiting';
/** Queued or running operations, scored by when the gateway last saw them change: the reconciler's work list. */
const OPEN = 'bosun:ops:open';
const isOpen = (status: Operation['status']): boolean => status === 'queued' || status === 'running';

/** Operations in Redis (AOF-persisted): one JSON document each, an index by creation time. */
@Injectable()
export class OperationStore {
  constructor(@Inject(STATE_REDIS) private readonly redis: Redis) {}

  /** Inserts a new operation; `extra` adds writes to the same transaction. */
  async insert(op: Operation, extra?: (tx: ReturnType<Redis['multi']>) => void): Promise<void> {
    const tx = this.redis.multi().set(key(op.id), JSON.stringify(op)).zadd(INDEX, Date.parse(op.createdAt), op.id);
    if (op.status === 'awaiting_approval') tx.zadd(AWAITING, Date.parse(op.createdAt), op.id);
    if (isOpen(op.status)) tx.zadd(OPEN, Date.parse(op.createdAt), op.id);
    extra?.(tx);
    await tx.exec();
  }

  async get(id: string): Promise<Operation | undefined> {
    const raw = await this.redis.get(key(id));
    return raw ? (JSON.parse(raw) as Operation) : undefined;
  }

  async list(filter: { status?: string; kind?: string; limit: number }): Promise<Operation[]> {
    const out: Operation[] = [];
    let offset = 0;
    while (out.length < filter.limit) {
      const ids = await this.redis.zrevrange(INDEX, offset, offset + 199);
      if (!ids.length) break;
      offset += ids.length;
      const docs = await this.redis.mget(ids.map(key));
      for (const d of docs) {
        if (!d) continue;
        const op = JSON.parse(d) as Operation;
        if ((filter.status && op.status !== filter.status) || (filter.kind && op.kind !== filter.kind)) continue;
        out.push(op);
        if (out.length >= filter.limit) break;
      }
    }
    return out;
  }

  /** Ids of operations waiting for approval since before `olderThanMs`. */
  async awaitingSince(olderThanMs: number): Promise<string[]> {
    return this.redis.zrangebyscore(AWAITING, 0, olderThanMs);
  }

  /** Ids of queued or running operations that have not changed since before `olderThanMs`, oldest first. */
  async openSince(olderThanMs: number, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(OPEN, '-inf', olderThanMs, 'LIMIT', 0, limit);
  }

  /** Drops an id from the open index (it ended, or it is gone). */
  async forgetOpen(id: string): Promise<void> {
    await this.redis.zrem(OPEN, id);
  }

  /**
   * Applies a change atomically (optimistic WATCH/MULTI: several gateway replicas may fold
   * events for the same operation). Returns the new state, or undefined if nothing changed.
   */
  async apply(id: string, change: OperationChange): Promise<Operation | undefined> {
    for (let attempt = 0; attempt < 20; attempt++) {
      await this.redis.watch(key(id));
      const current = await this.get(id);
      const next = current && applyChange(current, change);
      if (!next) {
        await this.redis.unwatch();
        return undefined;
      }
      const tx = this.redis.multi().set(key(id), JSON.stringify(next));
      if (next.status !== 'awaiting_approval') tx.zrem(AWAITING, id);
      // Scored by the gateway's clock, not the event's `at`: a service's clock may be off.
      if (isOpen(next.status)) tx.zadd(OPEN, Date.now(), id);
      else tx.zrem(OPEN, id);
      if (await tx.exec()) return next;
    }
    throw new Error(`could not update operation ${id}: too much contention`);
  }
}
