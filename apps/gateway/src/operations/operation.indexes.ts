// The operation store's Redis layout: key names, the sorted-set indexes an operation is in,
// and how long a terminal one is kept. Pure (no I/O), so the layout is unit-tested.
import { createHash } from 'node:crypto';
import { isTerminal, TERMINAL_STATUSES } from '@bosun/contracts';
import type { Operation, OperationStatus } from '@bosun/contracts';
import type { Redis } from '@bosun/messaging';

export const docKey = (id: string): string => `bosun:op:${id}`;
export const pendingKey = (id: string): string => `bosun:op:pending:${id}`;
/** Every operation, scored by creation time (ms). */
export const ALL = 'bosun:ops';
export const AWAITING = 'bosun:ops:awaiting';
/** Queued or running operations, scored by when the gateway last saw them change: the reconciler's work list. */
export const OPEN = 'bosun:ops:open';
export const OPEN_BACKFILLED = 'bosun:ops:open:backfilled';
/** Operations whose command the stream has not acknowledged yet, scored by when it was due: the dispatcher's outbox. */
export const UNSENT = 'bosun:ops:unsent';
/** The kinds ever stored (a handful): the trimmer's list of kind indexes. */
export const KINDS = 'bosun:ops:kinds';
/** Set once every operation stored before the status and kind indexes existed is in them. */
export const INDEXES_BACKFILLED = 'bosun:ops:indexes:backfilled';

// Score = createdAt (ms) everywhere, so every list is newest first by the same order.
export const statusIndex = (status: string): string => `bosun:ops:status:${status}`;
export const kindIndex = (kind: string): string => `bosun:ops:kind:${kind}`;
/** Status and kind at once: `?status=failed&kind=deployment.deploy` reads exactly its own members. */
export const statusKindIndex = (status: string, kind: string): string => `bosun:ops:status:${status}:kind:${kind}`;

/** The one index that answers a list filter exactly (newest first, no filtering after the read). */
export function listIndex(filter: { status?: string; kind?: string }): string {
  if (filter.status && filter.kind) return statusKindIndex(filter.status, filter.kind);
  if (filter.status) return statusIndex(filter.status);
  if (filter.kind) return kindIndex(filter.kind);
  return ALL;
}

export const createdScore = (op: Pick<Operation, 'createdAt'>): number => {
  const ms = Date.parse(op.createdAt);
  return Number.isFinite(ms) ? ms : 0;
};

export const isOpen = (status: OperationStatus): boolean => status === 'queued' || status === 'running';

/**
 * Seconds a terminal operation still has to live: the retention counted from when it ended
 * (`updatedAt`; its creation when that is unreadable), at least 1. Undefined while it is not
 * terminal: an open operation never expires.
 */
export function remainingSeconds(op: Pick<Operation, 'status' | 'createdAt' | 'updatedAt'>, retentionSeconds: number, nowMs: number): number | undefined {
  if (!isTerminal(op.status)) return undefined;
  const ended = Date.parse(op.updatedAt);
  const from = Number.isFinite(ended) ? ended : createdScore(op);
  return Math.max(1, Math.ceil(retentionSeconds - (nowMs - from) / 1000));
}

/**
 * Indexes whose members may outlive their document (which expires only once terminal): the
 * creation index, every terminal status, every kind and every terminal status of every kind.
 */
export function trimmedIndexes(kinds: readonly string[]): string[] {
  return [
    ALL,
    ...TERMINAL_STATUSES.map(statusIndex),
    ...kinds.map(kindIndex),
    ...TERMINAL_STATUSES.flatMap((s) => kinds.map((k) => statusKindIndex(s, k))),
  ];
}

/** A Lua script run by its SHA (EVALSHA), sent whole only when Redis does not have it yet (first use, after a restart). */
export class LuaScript {
  private readonly sha: string;
  constructor(readonly body: string) {
    this.sha = createHash('sha1').update(body).digest('hex');
  }

  async run(redis: Redis, keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (e) {
      if (!String((e as Error)?.message).startsWith('NOSCRIPT')) throw e;
      return redis.eval(this.body, keys.length, ...keys, ...args);
    }
  }
}

/**
 * Compare-and-set of one operation with its indexes, in one step.
 * KEYS: document, awaiting, open, old status, new status, old status+kind, new status+kind, kind, pending command.
 * ARGV: expected document, new document, id, still awaiting (1/0), open score ('' = not open),
 * creation score, time to live in seconds ('' = keep forever: not terminal).
 * The new status, status+kind and kind entries are (re)written every time, so an operation
 * stored before these indexes existed is in them from its next change on.
 */
export const CAS = new LuaScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[7] == '' then
  redis.call('SET', KEYS[1], ARGV[2])
else
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[7])
  redis.call('EXPIRE', KEYS[9], ARGV[7], 'LT')
end
if ARGV[4] == '0' then redis.call('ZREM', KEYS[2], ARGV[3]) end
if ARGV[5] == '' then redis.call('ZREM', KEYS[3], ARGV[3]) else redis.call('ZADD', KEYS[3], ARGV[5], ARGV[3]) end
if KEYS[4] ~= KEYS[5] then
  redis.call('ZREM', KEYS[4], ARGV[3])
  redis.call('ZREM', KEYS[6], ARGV[3])
end
redis.call('ZADD', KEYS[5], ARGV[6], ARGV[3])
redis.call('ZADD', KEYS[7], ARGV[6], ARGV[3])
redis.call('ZADD', KEYS[8], ARGV[6], ARGV[3])
return 1
`);

/**
 * The backfill of one operation stored before the status and kind indexes: indexed only if the
 * document is still the one read (a change meanwhile indexed it itself), a terminal one given
 * what is left of its retention.
 * KEYS: document, status, status+kind, kind, kinds set, pending command.
 * ARGV: expected document, id, creation score, kind, time to live ('' = not terminal).
 */
export const BACKFILL = new LuaScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('ZADD', KEYS[2], 'NX', ARGV[3], ARGV[2])
redis.call('ZADD', KEYS[3], 'NX', ARGV[3], ARGV[2])
redis.call('ZADD', KEYS[4], 'NX', ARGV[3], ARGV[2])
redis.call('SADD', KEYS[5], ARGV[4])
if ARGV[5] ~= '' and redis.call('TTL', KEYS[1]) == -1 then
  redis.call('EXPIRE', KEYS[1], ARGV[5])
  redis.call('EXPIRE', KEYS[6], ARGV[5], 'LT')
end
return 1
`);

/**
 * An insert that is also the claim of its Idempotency-Key, in one step: the key is set (NX,
 * with its expiry) and the operation's commands run only if it was free; otherwise nothing is
 * written and the key's value (the first request's claim) is returned. One step, so a gateway
 * that dies in between cannot leave a key bound to an operation that was never stored.
 * KEYS: the idempotency key, then every key the commands name.
 * ARGV: the claim, its time to live in seconds, the commands as JSON: [name, key index, args...].
 */
export const INSERT_ONCE = new LuaScript(`
if not redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2], 'NX') then return redis.call('GET', KEYS[1]) end
for _, c in ipairs(cjson.decode(ARGV[3])) do redis.call(c[1], KEYS[c[2]], unpack(c, 3)) end
return false
`);
