import { Inject, Injectable } from '@nestjs/common';
import { redactSealed } from '@bosun/contracts';
import type { CommandEnvelope, Operation, ServiceName } from '@bosun/contracts';
import type { Redis } from '@bosun/messaging';
import { applyChange } from '@bosun/gateway-domain';
import type { OperationChange } from '@bosun/gateway-domain';
import { STATE_REDIS } from '../tokens';

/** The command of an operation as the gateway sends it (at once, or after approval): its service, action and envelope. */
export interface PendingCommand { service: ServiceName; action: string; envelope: CommandEnvelope }

const key = (id: string): string => `bosun:op:${id}`;
const pendingKey = (id: string): string => `bosun:op:pending:${id}`;
const PENDING_TTL_SECONDS = 30 * 24 * 3600;
const INDEX = 'bosun:ops';
const AWAITING = 'bosun:ops:awaiting';
/** Queued or running operations, scored by when the gateway last saw them change: the reconciler's work list. */
const OPEN = 'bosun:ops:open';
const OPEN_BACKFILLED = 'bosun:ops:open:backfilled';
const isOpen = (status: Operation['status']): boolean => status === 'queued' || status === 'running';

/** Operations in Redis (AOF-persisted): one JSON document each, an index by creation time. */
@Injectable()
export class OperationStore {
  constructor(@Inject(STATE_REDIS) private readonly redis: Redis) {}

  /**
   * Inserts a new operation with its command, its index entries, in one transaction. The
   * command is kept whole (secret values sealed, never plaintext) only while it waits for
   * approval, since it is sent from here then; otherwise it is sent at once from memory and
   * kept with its sealed values replaced by the redaction marker.
   */
  async insert(op: Operation, pending: PendingCommand): Promise<void> {
    const kept = op.status === 'awaiting_approval' ? pending : redacted(pending);
    const tx = this.redis.multi().set(key(op.id), JSON.stringify(op)).zadd(INDEX, Date.parse(op.createdAt), op.id)
      .set(pendingKey(op.id), JSON.stringify(kept), 'EX', PENDING_TTL_SECONDS);
    if (op.status === 'awaiting_approval') tx.zadd(AWAITING, Date.parse(op.createdAt), op.id);
    if (isOpen(op.status)) tx.zadd(OPEN, Date.parse(op.createdAt), op.id);
    await tx.exec();
  }

  /** The command of an operation (the reconciler finds the owning service there). */
  async pending(id: string): Promise<PendingCommand | undefined> {
    const raw = await this.redis.get(pendingKey(id));
    return raw ? (JSON.parse(raw) as PendingCommand) : undefined;
  }

  /** After an approved command was sent: what is kept of it loses its sealed values too (same expiry). */
  async redactPending(id: string): Promise<void> {
    const pending = await this.pending(id);
    if (pending) await this.redis.set(pendingKey(id), JSON.stringify(redacted(pending)), 'KEEPTTL');
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

  /**
   * Operations made before the open index existed are added to it once (idempotent: ZADD NX,
   * and a stale entry is dropped by the reconciler when it finds the operation ended).
   */
  async backfillOpenIndex(): Promise<number> {
    if (await this.redis.exists(OPEN_BACKFILLED)) return 0;
    let added = 0;
    for (let offset = 0; ; offset += 500) {
      const ids = await this.redis.zrange(INDEX, String(offset), String(offset + 499));
      if (!ids.length) break;
      const open = (await this.redis.mget(ids.map(key))).filter((d): d is string => !!d).map((d) => JSON.parse(d) as Operation).filter((o) => isOpen(o.status));
      if (open.length) added += await this.redis.zadd(OPEN, 'NX', ...open.flatMap((o) => [String(Date.parse(o.updatedAt) || Date.now()), o.id]));
    }
    await this.redis.set(OPEN_BACKFILLED, new Date().toISOString());
    return added;
  }

  /** Drops an id from the open index (it ended, or it is gone). */
  async forgetOpen(id: string): Promise<void> {
    await this.redis.zrem(OPEN, id);
  }

  /**
   * Applies a change atomically: read, fold, then write only if the document is still the one
   * read (compare-and-set in one Lua script). Several writers share this connection and
   * several gateway replicas fold events for the same operation; WATCH/MULTI would not do
   * here, since WATCH belongs to the connection, not to the caller. Returns the new state, or
   * undefined if nothing changed.
   */
  async apply(id: string, change: OperationChange): Promise<Operation | undefined> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const raw = await this.redis.get(key(id));
      const next = raw ? applyChange(JSON.parse(raw) as Operation, change) : undefined;
      if (!raw || !next) return undefined;
      // Scored by the gateway's clock, not the event's `at`: a service's clock may be off.
      const openScore = isOpen(next.status) ? String(Date.now()) : '';
      const written = await this.redis.eval(CAS, 3, key(id), AWAITING, OPEN, raw, JSON.stringify(next), id, next.status === 'awaiting_approval' ? '1' : '0', openScore);
      if (written === 1) return next;
    }
    throw new Error(`could not update operation ${id}: too much contention`);
  }
}

const redacted = (pending: PendingCommand): PendingCommand =>
  ({ ...pending, envelope: { ...pending.envelope, payload: redactSealed(pending.envelope.payload) } });

/** KEYS: document, awaiting index, open index. ARGV: expected document, new document, id, still awaiting (1/0), open score ('' = not open). */
const CAS = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
if ARGV[4] == '0' then redis.call('ZREM', KEYS[2], ARGV[3]) end
if ARGV[5] == '' then redis.call('ZREM', KEYS[3], ARGV[3]) else redis.call('ZADD', KEYS[3], ARGV[5], ARGV[3]) end
return 1
`;
