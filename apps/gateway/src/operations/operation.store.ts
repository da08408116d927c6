import { Inject, Injectable } from '@nestjs/common';
import { isTerminal, redactSealed } from '@bosun/contracts';
import type { CommandEnvelope, Operation, ServiceName } from '@bosun/contracts';
import { BOSUN_CONFIG } from '@bosun/config';
import type { BosunConfig } from '@bosun/config';
import type { Redis } from '@bosun/messaging';
import { applyChange } from '@bosun/gateway-domain';
import type { OperationChange } from '@bosun/gateway-domain';
import { auditXadd } from '../audit/audit.log';
import type { AuditRecord } from '../audit/audit.log';
import { STATE_REDIS } from '../tokens';
import {
  ALL, AWAITING, BACKFILL, CAS, createdScore, docKey, INDEXES_BACKFILLED, INSERT_ONCE, isOpen, KINDS, kindIndex, listIndex, OPEN, OPEN_BACKFILLED,
  pendingKey, remainingSeconds, statusIndex, statusKindIndex, trimmedIndexes, UNSENT,
} from './operation.indexes';

/**
 * The command of an operation as the gateway sends it (at once, or after approval): its
 * service, action and envelope. `sent`: the stream acknowledged it, and what is kept has its
 * sealed values replaced by the redaction marker.
 */
export interface PendingCommand {
  service: ServiceName; action: string; envelope: CommandEnvelope; sent?: true;
  /** its sequence in the command stream, once acknowledged: the reconciler compares it with the service's ack floor */
  seq?: number;
}

export interface OperationFilter { status?: string; kind?: string; limit: number }

const PENDING_TTL_SECONDS = 30 * 24 * 3600;
const PAGE = 500;
/** Members older than the retention whose operation is still there (it ended late) looked at per index and round, at most. */
const TRIM_SCAN_LIMIT = 10_000;

/**
 * Operations in Redis (AOF-persisted): one JSON document each; sorted sets by creation time of
 * all of them, of each status, each kind and each status of each kind, so that every list is
 * one range read of the index that answers it. A terminal document expires after the
 * retention (BOSUN_OPERATION_RETENTION_DAYS); `trimExpired` then drops it from the indexes.
 */
@Injectable()
export class OperationStore {
  private readonly retentionSeconds: number;
  /** Every operation is in the status and kind indexes (the one-time backfill ran); until then lists scan. */
  private indexed = false;

  constructor(@Inject(STATE_REDIS) private readonly redis: Redis, @Inject(BOSUN_CONFIG) config: Pick<BosunConfig, 'retention'>) {
    this.retentionSeconds = config.retention.operationSeconds;
  }

  /**
   * Inserts a new operation with its command, its index entries (and, queued, its place in
   * the outbox) in one transaction. The command is kept whole — secret values sealed, never
   * plaintext — until the stream acknowledged it (`sent`), then with its sealed values
   * replaced by the redaction marker.
   */
  async insert(op: Operation, pending: PendingCommand, audit?: AuditRecord): Promise<void> {
    const tx = this.redis.multi();
    for (const [name, key, ...args] of this.insertCommands(op, pending, audit)) tx.call(name, key, ...args);
    await tx.exec();
  }

  /**
   * `insert`, claiming an Idempotency-Key in the same step: returns undefined when this call
   * stored the operation, or the key's claim (the first request's) when the key was taken.
   */
  async insertOnce(op: Operation, pending: PendingCommand, audit: AuditRecord | undefined, idempotency: { key: string; claim: string; ttlSeconds: number }): Promise<string | undefined> {
    const keys = [idempotency.key];
    const commands = this.insertCommands(op, pending, audit).map(([name, key, ...args]) => {
      keys.push(key);
      return [name, keys.length, ...args];
    });
    const taken = await INSERT_ONCE.run(this.redis, keys, [idempotency.claim, idempotency.ttlSeconds, JSON.stringify(commands)]);
    return typeof taken === 'string' ? taken : undefined;
  }

  /**
   * What a new operation writes, as [command, key, ...args]: its document, index entries, its
   * command (kept whole — sealed, never plaintext — until the stream acknowledged it; a queued
   * operation's command is in the outbox until then, so a NATS outage or a crash between this
   * write and the publish loses nothing: OperationDispatcher sends it) and its audit entry.
   */
  private insertCommands(op: Operation, pending: PendingCommand, audit?: AuditRecord): [string, string, ...string[]][] {
    const score = String(createdScore(op));
    const ttl = remainingSeconds(op, this.retentionSeconds, Date.now());
    const commands: [string, string, ...string[]][] = [
      ttl ? ['SET', docKey(op.id), JSON.stringify(op), 'EX', String(ttl)] : ['SET', docKey(op.id), JSON.stringify(op)],
      ['ZADD', ALL, score, op.id], ['ZADD', statusIndex(op.status), score, op.id], ['ZADD', kindIndex(op.kind), score, op.id],
      ['ZADD', statusKindIndex(op.status, op.kind), score, op.id], ['SADD', KINDS, op.kind],
      ['SET', pendingKey(op.id), JSON.stringify(pending), 'EX', String(Math.min(ttl ?? PENDING_TTL_SECONDS, PENDING_TTL_SECONDS))],
    ];
    if (op.status === 'awaiting_approval') commands.push(['ZADD', AWAITING, score, op.id]);
    if (op.status === 'queued') commands.push(['ZADD', UNSENT, String(Date.now()), op.id]);
    if (isOpen(op.status)) commands.push(['ZADD', OPEN, score, op.id]);
    // Audited with its acceptance, in the same step: no accepted operation without its entry.
    if (audit) commands.push(['XADD', ...auditXadd(audit)]);
    return commands;
  }

  /** The command of an operation (the reconciler finds the owning service there). */
  async pending(id: string): Promise<PendingCommand | undefined> {
    const raw = await this.redis.get(pendingKey(id));
    return raw ? (JSON.parse(raw) as PendingCommand) : undefined;
  }

  /** The operation as stored (raw, for `apply`'s compare-and-set) and its command, in one round trip. */
  async snapshot(id: string): Promise<{ raw?: string; pending?: PendingCommand }> {
    const [raw, pending] = await this.redis.mget(docKey(id), pendingKey(id));
    return { raw: raw ?? undefined, pending: pending ? (JSON.parse(pending) as PendingCommand) : undefined };
  }

  /** An approved operation's command is due: into the outbox. */
  async due(id: string): Promise<void> {
    await this.redis.zadd(UNSENT, Date.now(), id);
  }

  /** The stream acknowledged the command (or it will never be sent): out of the outbox, sealed values redacted (same expiry). `known`: the command in hand, not read again. */
  async sent(id: string, known?: PendingCommand, seq?: number): Promise<void> {
    const pending = known ?? (await this.pending(id));
    const tx = this.redis.multi().zrem(UNSENT, id);
    if (pending && !pending.sent) tx.set(pendingKey(id), JSON.stringify({ ...redacted(pending), sent: true, ...(seq ? { seq } : {}) }), 'KEEPTTL');
    await tx.exec();
  }

  /** Operations whose command was due before `dueBefore` (ms) and is not acknowledged yet, oldest first. */
  async unsent(dueBefore: number, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(UNSENT, '-inf', dueBefore, 'LIMIT', 0, limit);
  }

  async isUnsent(id: string): Promise<boolean> {
    return (await this.redis.zscore(UNSENT, id)) !== null;
  }

  async get(id: string): Promise<Operation | undefined> {
    const raw = await this.redis.get(docKey(id));
    return raw ? (JSON.parse(raw) as Operation) : undefined;
  }

  /**
   * Newest first, from the one index that holds exactly the filter's operations: a range read
   * of `limit` ids and one MGET, however many operations are stored. An id whose document has
   * expired (not trimmed yet) or changed status since the read is skipped, and the next ids read.
   */
  async list(filter: OperationFilter): Promise<Operation[]> {
    if (!(await this.indexesReady())) return this.scan(filter);
    const index = listIndex(filter);
    const out: Operation[] = [];
    for (let start = 0; out.length < filter.limit;) {
      const want = filter.limit - out.length;
      const ids = await this.redis.zrevrange(index, start, start + want - 1);
      start += ids.length;
      for (const d of ids.length ? await this.redis.mget(ids.map(docKey)) : []) {
        const op = d ? (JSON.parse(d) as Operation) : undefined;
        if (op && matches(op, filter)) out.push(op);
      }
      if (ids.length < want) break;
    }
    return out;
  }

  /**
   * The list without the status and kind indexes: the creation index read newest first and
   * filtered, which reads every operation stored when few match. Serves lists until the
   * backfill has run (so operations stored before the indexes are listed meanwhile).
   */
  async scan(filter: OperationFilter): Promise<Operation[]> {
    const out: Operation[] = [];
    for (let offset = 0; out.length < filter.limit;) {
      const ids = await this.redis.zrevrange(ALL, offset, offset + 199);
      if (!ids.length) break;
      offset += ids.length;
      for (const d of await this.redis.mget(ids.map(docKey))) {
        const op = d ? (JSON.parse(d) as Operation) : undefined;
        if (op && matches(op, filter) && out.length < filter.limit) out.push(op);
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
    for (let offset = 0; ; offset += PAGE) {
      const ids = await this.redis.zrange(ALL, String(offset), String(offset + PAGE - 1));
      if (!ids.length) break;
      const open = (await this.redis.mget(ids.map(docKey))).filter((d): d is string => !!d).map((d) => JSON.parse(d) as Operation).filter((o) => isOpen(o.status));
      if (open.length) added += await this.redis.zadd(OPEN, 'NX', ...open.flatMap((o) => [String(Date.parse(o.updatedAt) || Date.now()), o.id]));
    }
    await this.redis.set(OPEN_BACKFILLED, new Date().toISOString());
    return added;
  }

  /**
   * Operations stored before the status and kind indexes are added to them once, and a
   * terminal one without an expiry gets what is left of its retention (counted from its
   * `updatedAt`; one that ended longer ago expires at once). Read newest first, so members the
   * trimmer drops at the old end meanwhile shift nothing still to read. Idempotent (ZADD NX, a
   * document changed meanwhile indexed itself); the flag is set at the end, so an interrupted
   * run starts again at the next boot. Returns how many documents it indexed.
   */
  async backfillIndexes(now = Date.now()): Promise<number> {
    if (await this.indexesReady()) return 0;
    let indexed = 0;
    for (let offset = 0; ; offset += PAGE) {
      const ids = await this.redis.zrevrange(ALL, offset, offset + PAGE - 1);
      if (!ids.length) break;
      const docs = await this.redis.mget(ids.map(docKey));
      const done = await Promise.all(docs.map((raw, i) => (raw ? this.backfillOne(ids[i], raw, now) : 0)));
      indexed += done.reduce((a, b) => a + b, 0);
    }
    await this.redis.set(INDEXES_BACKFILLED, new Date(now).toISOString());
    this.indexed = true;
    return indexed;
  }

  /**
   * Drops index members whose document has expired. Only members created longer ago than the
   * retention can be such (a document lives the retention after it ended, and it ended after
   * it was made), so each index is read from its old end up to that bound and no further. Not
   * atomic, and need not be: an id is never reused and nothing indexes an id without its document.
   */
  async trimExpired(nowMs = Date.now()): Promise<number> {
    const cutoff = nowMs - this.retentionSeconds * 1000;
    let removed = 0;
    for (const index of trimmedIndexes(await this.redis.smembers(KINDS))) removed += await this.trimIndex(index, cutoff);
    return removed;
  }

  private async trimIndex(index: string, cutoff: number): Promise<number> {
    let removed = 0;
    for (let kept = 0; kept < TRIM_SCAN_LIMIT;) {
      const ids = await this.redis.zrangebyscore(index, '-inf', cutoff, 'LIMIT', kept, PAGE);
      const there = await Promise.all(ids.map((id) => this.redis.exists(docKey(id))));
      const gone = ids.filter((_, i) => there[i] === 0);
      if (gone.length) removed += await this.redis.zrem(index, ...gone);
      kept += ids.length - gone.length;
      if (ids.length < PAGE) break;
    }
    return removed;
  }

  /** Drops an id from the open index (it ended, or it is gone). */
  async forgetOpen(id: string): Promise<void> {
    await this.redis.zrem(OPEN, id);
  }

  /**
   * Applies a change atomically: read, fold, then write only if the document is still the one
   * read (compare-and-set in one Lua script, which moves it between the status indexes too and,
   * once terminal, sets its expiry). Several writers share this connection and several gateway
   * replicas fold events for the same operation; WATCH/MULTI would not do here, since WATCH
   * belongs to the connection, not to the caller. Returns the new state, or undefined if nothing changed.
   * `known`: the document as just read (`snapshot`), so the first attempt does not read it again.
   */
  async apply(id: string, change: OperationChange, known?: string): Promise<Operation | undefined> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const raw = attempt === 0 && known !== undefined ? known : await this.redis.get(docKey(id));
      const prev = raw ? (JSON.parse(raw) as Operation) : undefined;
      const next = prev ? applyChange(prev, change) : undefined;
      if (!raw || !prev || !next) return undefined;
      // Scored by the gateway's clock, not the event's `at`: a service's clock may be off.
      const openScore = isOpen(next.status) ? String(Date.now()) : '';
      // Kept the whole retention from now, when the gateway saw it end (the same clock).
      const ttl = isTerminal(next.status) ? String(this.retentionSeconds) : '';
      const keys = [docKey(id), AWAITING, OPEN, statusIndex(prev.status), statusIndex(next.status), statusKindIndex(prev.status, prev.kind), statusKindIndex(next.status, next.kind), kindIndex(next.kind), pendingKey(id)];
      const written = await CAS.run(this.redis, keys, [raw, JSON.stringify(next), id, next.status === 'awaiting_approval' ? '1' : '0', openScore, createdScore(next), ttl]);
      if (written === 1) return next;
    }
    throw new Error(`could not update operation ${id}: too much contention`);
  }

  private async backfillOne(id: string, raw: string, now: number): Promise<number> {
    const op = JSON.parse(raw) as Operation;
    const ttl = remainingSeconds(op, this.retentionSeconds, now);
    const keys = [docKey(id), statusIndex(op.status), statusKindIndex(op.status, op.kind), kindIndex(op.kind), KINDS, pendingKey(id)];
    return Number(await BACKFILL.run(this.redis, keys, [raw, id, createdScore(op), op.kind, ttl ?? '']));
  }

  private async indexesReady(): Promise<boolean> {
    if (!this.indexed) this.indexed = (await this.redis.exists(INDEXES_BACKFILLED)) === 1;
    return this.indexed;
  }
}

const matches = (op: Operation, filter: OperationFilter): boolean =>
  (!filter.status || op.status === filter.status) && (!filter.kind || op.kind === filter.kind);

const redacted = (pending: PendingCommand): PendingCommand =>
  ({ ...pending, envelope: { ...pending.envelope, payload: redactSealed(pending.envelope.payload) } });
