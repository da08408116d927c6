import { Inject, Injectable } from '@nestjs/common';
import type { Operation } from '@bosun/contracts';
import type { Redis } from '@bosun/messaging';
import { applyChange } from '@bosun/gateway-domain';
import type { OperationChange } from '@bosun/gateway-domain';
import { STATE_REDIS } from '../tokens';

const key = (id: string): string => `bosun:op:${id}`;
const INDEX = 'bosun:ops';
const AWAITING = 'bosun:ops:awaiting';

/** Operations in Redis (AOF-persisted): one JSON document each, an index by creation time. */
@Injectable()
export class OperationStore {
  constructor(@Inject(STATE_REDIS) private readonly redis: Redis) {}

  /** Inserts a new operation; `extra` adds writes to the same transaction. */
  async insert(op: Operation, extra?: (tx: ReturnType<Redis['multi']>) => void): Promise<void> {
    const tx = this.redis.multi().set(key(op.id), JSON.stringify(op)).zadd(INDEX, Date.parse(op.createdAt), op.id);
    if (op.status === 'awaiting_approval') tx.zadd(AWAITING, Date.parse(op.createdAt), op.id);
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
      if (await tx.exec()) return next;
    }
    throw new Error(`could not update operation ${id}: too much contention`);
  }
}
