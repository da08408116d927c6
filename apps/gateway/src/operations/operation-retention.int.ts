import { OPERATION_STATUSES } from '@bosun/contracts';
import type { Operation } from '@bosun/contracts';
import { createLogger } from '@bosun/logging';
import { connectRedisFailFast } from '@bosun/messaging';
import type { Redis } from '@bosun/messaging';
import { eventually, testInfra, uniqueName } from '@bosun/testing';
import { AuditLog } from '../audit/audit.log';
import { OperationStore } from './operation.store';
import { RetentionTrimmer } from './retention.trimmer';

// Bounded state on real Redis: the status and kind indexes kept by the store's own writes, a
// terminal operation expiring and the trimmer dropping it from every index, the audit stream
// trimmed by age, and the one-time backfill of operations stored before the indexes.
jest.setTimeout(30_000);
const DAY = 86400;
const logger = createLogger('test', 'silent');
let redis: Redis;
beforeAll(async () => {
  redis = connectRedisFailFast(testInfra().redisUrl, 'gateway-retention-int', logger);
  await new Promise((r) => redis.once('ready', r));
});

const config = (operationSeconds: number, auditSeconds = 90 * DAY) => ({ instanceId: uniqueName('gw'), retention: { operationSeconds, auditSeconds } });
const storeWith = (operationSeconds: number): OperationStore => new OperationStore(redis, config(operationSeconds));
const trimmerOf = (store: OperationStore, operationSeconds: number, auditSeconds?: number): RetentionTrimmer =>
  new RetentionTrimmer(store, new AuditLog(redis), redis, config(operationSeconds, auditSeconds), logger);

const newOp = (kind: string, status: Operation['status'], createdMs: number): Operation => {
  const at = new Date(createdMs).toISOString();
  return { id: uniqueName('op'), kind, status, actor: { subject: 'user:a', groups: [], via: 'api' }, target: { cluster: 'default', kind: 'Deployment' }, createdAt: at, updatedAt: at };
};
const commandOf = (o: Operation) => ({ service: 'deployer' as const, action: 'deploy', envelope: { operationId: o.id, kind: o.kind, actor: o.actor, target: o.target, payload: {}, issuedAt: o.createdAt } });
const ids = (ops: Operation[]): string[] => ops.map((o) => o.id);
const now = (): string => new Date().toISOString();
/** Open operations a test made: ended afterwards, so that no later test's reconciler finds them stuck. */
const opened: string[] = [];
afterAll(async () => {
  const store = storeWith(30 * DAY);
  for (const id of opened) await store.apply(id, { type: 'cancelled', at: now(), by: 'user:test' });
  redis?.disconnect();
});

/** The indexes an id is in, by name (every status and status+kind index of its kind, the kind's and the creation index). */
async function indexesOf(id: string, kind: string): Promise<string[]> {
  const keys = ['bosun:ops', `bosun:ops:kind:${kind}`, ...OPERATION_STATUSES.flatMap((s) => [`bosun:ops:status:${s}`, `bosun:ops:status:${s}:kind:${kind}`])];
  const scores = await Promise.all(keys.map((k) => redis.zscore(k, id)));
  return keys.filter((_, i) => scores[i] !== null);
}

describe('operation retention (real Redis)', () => {
  it('lists by status, by kind and by both from their own indexes, newest first, following every change', async () => {
    const store = storeWith(30 * DAY);
    const kind = uniqueName('bench.kind');
    const other = uniqueName('other.kind');
    const t0 = Date.now() - 60_000;
    const ops = Array.from({ length: 8 }, (_, i) => newOp(i % 4 === 3 ? other : kind, 'queued', t0 + i * 1000));
    for (const o of ops) await store.insert(o, commandOf(o));
    opened.push(...ids(ops));
    const [a, b, c, , d, e, f] = ops;
    await store.apply(a.id, { type: 'started', at: now() });
    await store.apply(a.id, { type: 'succeeded', at: now() });
    await store.apply(b.id, { type: 'failed', at: now(), error: { code: 'X', message: 'x' } });
    await store.apply(c.id, { type: 'started', at: now() });
    await store.apply(d.id, { type: 'succeeded', at: now() });
    await store.apply(e.id, { type: 'started', at: now() });
    await store.apply(e.id, { type: 'progressed', at: now(), progress: { current: 1, total: 2, message: 'half' } });

    const mine = ops.filter((o) => o.kind === kind).reverse();
    expect(ids(await store.list({ kind, limit: 50 }))).toEqual(ids(mine));
    expect(ids(await store.list({ kind, limit: 2 }))).toEqual([f.id, e.id]);
    expect(ids(await store.list({ kind, status: 'succeeded', limit: 50 }))).toEqual([d.id, a.id]);
    expect(ids(await store.list({ kind, status: 'running', limit: 50 }))).toEqual([e.id, c.id]);
    expect(ids(await store.list({ kind, status: 'failed', limit: 50 }))).toEqual([b.id]);
    expect(ids(await store.list({ kind, status: 'queued', limit: 50 }))).toEqual([f.id]);
    expect(await store.list({ kind: other, status: 'succeeded', limit: 50 })).toEqual([]);
    // By status alone: other tests' operations are there too, ours in order among them.
    const running = ids(await store.list({ status: 'running', limit: 500 }));
    expect(running.indexOf(e.id)).toBeLessThan(running.indexOf(c.id));
    expect(running).not.toContain(a.id);
    // Exactly one status index each: the change moved it.
    expect(await indexesOf(a.id, kind)).toEqual(['bosun:ops', `bosun:ops:kind:${kind}`, 'bosun:ops:status:succeeded', `bosun:ops:status:succeeded:kind:${kind}`]);
    expect(await indexesOf(e.id, kind)).toEqual(['bosun:ops', `bosun:ops:kind:${kind}`, 'bosun:ops:status:running', `bosun:ops:status:running:kind:${kind}`]);
    expect(await redis.sismember('bosun:ops:kinds', kind)).toBe(1);
  });

  it('a terminal operation expires after the retention and the trimmer drops it from every index; open ones never expire', async () => {
    const store = storeWith(1);
    const kind = uniqueName('retention.kind');
    const old = Date.now() - 10 * DAY * 1000; // made long before the retention: only being open keeps it
    const [done, running, waiting, queued] = (['queued', 'queued', 'awaiting_approval', 'queued'] as const).map((s, i) => newOp(kind, s, old + i));
    for (const o of [done, running, waiting, queued]) await store.insert(o, commandOf(o));
    opened.push(running.id, waiting.id, queued.id);
    await store.apply(done.id, { type: 'succeeded', at: now() });
    await store.apply(running.id, { type: 'started', at: now() });
    expect(await redis.ttl(`bosun:op:${done.id}`)).toBe(1);
    expect(await redis.ttl(`bosun:op:pending:${done.id}`)).toBe(1);
    for (const o of [running, waiting, queued]) {
      expect(await redis.ttl(`bosun:op:${o.id}`)).toBe(-1);
      expect(await redis.ttl(`bosun:op:pending:${o.id}`)).toBeGreaterThan(29 * DAY);
    }

    await eventually(async () => ((await redis.exists(`bosun:op:${done.id}`)) === 0 ? true : undefined), 'the document expired', 5000, 100);
    expect(await redis.exists(`bosun:op:pending:${done.id}`)).toBe(0);
    // Expired but not trimmed yet: still an index member, never listed.
    expect(await indexesOf(done.id, kind)).toHaveLength(4);
    expect(ids(await store.list({ kind, limit: 50 }))).toEqual([queued.id, waiting.id, running.id]);

    const outcome = await trimmerOf(store, 1).trimOnce();
    expect(outcome.indexEntries).toBeGreaterThanOrEqual(4);
    expect(await indexesOf(done.id, kind)).toEqual([]);
    expect(await indexesOf(running.id, kind)).toEqual(['bosun:ops', `bosun:ops:kind:${kind}`, 'bosun:ops:status:running', `bosun:ops:status:running:kind:${kind}`]);
    expect(await indexesOf(waiting.id, kind)).toContain('bosun:ops:status:awaiting_approval');
    expect(await indexesOf(queued.id, kind)).toContain('bosun:ops:status:queued');
    expect(await store.openSince(Date.now() + 1000, 100_000)).toEqual(expect.arrayContaining([running.id, queued.id]));
    expect(await store.awaitingSince(Date.now() + 1000)).toContain(waiting.id);
    expect(ids(await store.list({ kind, limit: 50 }))).toEqual([queued.id, waiting.id, running.id]);
    // A second round finds nothing of ours; the open ones are still there.
    await trimmerOf(store, 1).trimOnce();
    for (const o of [running, waiting, queued]) expect((await store.get(o.id))?.id).toBe(o.id);
  });

  it('the audit stream is trimmed by age: entries older than the audit retention go, newer ones stay', async () => {
    const audit = new AuditLog(redis);
    const subject = uniqueName('user:retention');
    await audit.record({ subject, via: 'api', action: 'old.thing', outcome: 'accepted' });
    await new Promise((r) => setTimeout(r, 20));
    const boundary = Date.now();
    await new Promise((r) => setTimeout(r, 20));
    await audit.record({ subject, via: 'api', action: 'new.thing', outcome: 'accepted' });
    expect((await audit.query({ subject, limit: 10 })).map((e) => e.action)).toEqual(['new.thing', 'old.thing']);

    // The audit retention has passed since `boundary`: the trim at that time drops what came before it.
    const retentionSeconds = 3600;
    const outcome = await trimmerOf(storeWith(30 * DAY), 30 * DAY, retentionSeconds).trimOnce(boundary + retentionSeconds * 1000);
    expect(outcome.auditEntries).toBeGreaterThanOrEqual(1);
    expect((await audit.query({ subject, limit: 10 })).map((e) => e.action)).toEqual(['new.thing']);
    const [first] = await redis.xrange('bosun:audit', '-', '+', 'COUNT', 1);
    expect(Number(first[0].split('-')[0])).toBeGreaterThanOrEqual(boundary);
  });

  it('operations stored before the indexes: listed meanwhile (a scan), indexed once at boot, a terminal one given what is left of its retention', async () => {
    const kind = uniqueName('legacy.kind');
    const t = Date.now();
    const ended = (o: Operation, status: Operation['status'], agoDays: number): Operation => ({ ...o, status, updatedAt: new Date(t - agoDays * DAY * 1000).toISOString() });
    const longAgo = ended(newOp(kind, 'queued', t - 50 * DAY * 1000), 'succeeded', 40);
    const recent = ended(newOp(kind, 'queued', t - 2 * DAY * 1000), 'failed', 1);
    const open = ended(newOp(kind, 'queued', t - 1000), 'running', 0);
    // As the previous version wrote them: document (no expiry), creation index and pending command only.
    const tx = redis.multi().del('bosun:ops:indexes:backfilled');
    for (const o of [longAgo, recent, open]) {
      tx.set(`bosun:op:${o.id}`, JSON.stringify(o)).zadd('bosun:ops', Date.parse(o.createdAt), o.id).set(`bosun:op:pending:${o.id}`, JSON.stringify(commandOf(o)), 'EX', 30 * DAY);
    }
    await tx.exec();
    opened.push(open.id);

    const store = storeWith(30 * DAY);
    expect(ids(await store.list({ kind, limit: 50 }))).toEqual([open.id, recent.id, longAgo.id]);
    expect(ids(await store.list({ kind, status: 'failed', limit: 50 }))).toEqual([recent.id]);
    expect(await indexesOf(recent.id, kind)).toEqual(['bosun:ops']);

    expect(await store.backfillIndexes()).toBeGreaterThanOrEqual(3);
    expect(await redis.exists('bosun:ops:indexes:backfilled')).toBe(1);
    expect(await indexesOf(recent.id, kind)).toEqual(['bosun:ops', `bosun:ops:kind:${kind}`, 'bosun:ops:status:failed', `bosun:ops:status:failed:kind:${kind}`]);
    expect(await indexesOf(open.id, kind)).toContain(`bosun:ops:status:running:kind:${kind}`);
    const ttl = await redis.ttl(`bosun:op:${recent.id}`);
    expect(ttl).toBeGreaterThan(29 * DAY - 60);
    expect(ttl).toBeLessThanOrEqual(29 * DAY);
    expect(await redis.ttl(`bosun:op:pending:${recent.id}`)).toBeLessThanOrEqual(29 * DAY);
    expect(await redis.ttl(`bosun:op:${open.id}`)).toBe(-1);
    // Ended 40 days ago with 30 days of retention: expires at once, and the trimmer takes it out.
    await eventually(async () => ((await redis.exists(`bosun:op:${longAgo.id}`)) === 0 ? true : undefined), 'the old one expired', 5000, 100);
    await trimmerOf(store, 30 * DAY).trimOnce();
    expect(await indexesOf(longAgo.id, kind)).toEqual([]);
    expect(ids(await store.list({ kind, limit: 50 }))).toEqual([open.id, recent.id]);
    // Once: the flag says it ran (another replica, or this one at its next boot, does nothing).
    expect(await storeWith(30 * DAY).backfillIndexes()).toBe(0);
  });
});
