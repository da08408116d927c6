import { REDACTED } from '@bosun/contracts';
import type { Operation } from '@bosun/contracts';
import { createLogger } from '@bosun/logging';
import { connectRedisFailFast } from '@bosun/messaging';
import type { Redis } from '@bosun/messaging';
import { testInfra, uniqueName } from '@bosun/testing';
import { OperationStore } from './operation.store';

// The store on real Redis, shared by concurrent writers on ONE connection (as in the gateway:
// the events consumer, the reconciler and HTTP requests all fold changes at once).
let redis: Redis;
let store: OperationStore;
beforeAll(async () => {
  redis = connectRedisFailFast(testInfra().redisUrl, 'gateway-store-int', createLogger('test', 'silent'));
  await new Promise((r) => redis.once('ready', r));
  store = new OperationStore(redis, { retention: { operationSeconds: 30 * 86400, auditSeconds: 90 * 86400 } });
});
afterAll(() => redis?.disconnect());

const newOp = (status: Operation['status'] = 'queued'): Operation => {
  const now = new Date().toISOString();
  return { id: uniqueName('op'), kind: 'deployment.deploy', status, actor: { subject: 'user:a', groups: [], via: 'api' }, target: { cluster: 'default', kind: 'Deployment' }, createdAt: now, updatedAt: now };
};

const commandOf = (o: Operation) => ({ service: 'deployer' as const, action: 'deploy', envelope: { operationId: o.id, kind: o.kind, actor: o.actor, target: o.target, payload: {}, issuedAt: o.createdAt } });

describe('OperationStore (real Redis)', () => {
  it('keeps a command whole (sealed values, never plaintext) until the stream has it — in the outbox while queued, and while awaiting approval — then the redaction marker', async () => {
    const sealed = { sealed: 'v1:c2VhbGVkLWJ5dGVzLWZvci10aGUtc3RvcmUtdGVzdA==' };
    const withEnv = (o: Operation) => {
      const c = commandOf(o);
      return { ...c, envelope: { ...c.envelope, payload: { namespace: 'a', name: 'web', image: 'nginx', env: { A: sealed, R: { valueFrom: { secretKeyRef: { name: 'db', key: 'k' } } } } } } };
    };
    const queued = newOp('queued');
    await store.insert(queued, withEnv(queued));
    expect(await store.isUnsent(queued.id)).toBe(true);
    expect(await store.unsent(Date.now() + 1, 1000)).toContain(queued.id);
    expect(await store.pending(queued.id)).toEqual(withEnv(queued));
    const ttl = await redis.ttl(`bosun:op:pending:${queued.id}`);
    await store.sent(queued.id);
    expect(await store.isUnsent(queued.id)).toBe(false);
    expect(await redis.get(`bosun:op:pending:${queued.id}`)).not.toContain(sealed.sealed);
    expect(await store.pending(queued.id)).toEqual({ service: 'deployer', action: 'deploy', sent: true, envelope: expect.objectContaining({ payload: { namespace: 'a', name: 'web', image: 'nginx', env: { A: REDACTED, R: { valueFrom: { secretKeyRef: { name: 'db', key: 'k' } } } } } }) });
    expect(await redis.ttl(`bosun:op:pending:${queued.id}`)).toBeGreaterThan(ttl - 5); // what the reconciler and cancel read of it stays

    const waiting = newOp('awaiting_approval');
    await store.insert(waiting, withEnv(waiting));
    expect(await store.pending(waiting.id)).toEqual(withEnv(waiting));
    expect(await store.isUnsent(waiting.id)).toBe(false); // not due before its approval
    await store.due(waiting.id);
    expect(await store.isUnsent(waiting.id)).toBe(true);
    await store.sent(waiting.id);
    expect((await store.pending(waiting.id))?.envelope.payload).toMatchObject({ env: { A: REDACTED } });
  });

  it('concurrent changes on one connection: a terminal state is never overwritten by a change folded from a stale read', async () => {
    for (let round = 0; round < 20; round++) {
      const ops = Array.from({ length: 10 }, () => newOp('running'));
      await Promise.all(ops.map((o) => store.insert(o, commandOf(o))));
      await Promise.all(ops.flatMap((o) => [
        ...Array.from({ length: 5 }, (_, i) => store.apply(o.id, { type: 'progressed', at: `p${i}`, progress: { current: i, total: 5, message: `${i}` } })),
        store.apply(o.id, { type: 'succeeded', at: 'done', result: { ok: true } }),
        ...Array.from({ length: 5 }, (_, i) => store.apply(o.id, { type: 'progressed', at: `q${i}`, progress: { current: i, total: 5, message: `${i}` } })),
      ]));
      for (const o of ops) expect(await store.get(o.id)).toMatchObject({ status: 'succeeded', updatedAt: 'done', result: { ok: true } });
    }
  });

  it('keeps the open index: queued/running in it, terminal and awaiting approval out of it', async () => {
    const queued = newOp('queued');
    const waiting = newOp('awaiting_approval');
    await store.insert(queued, commandOf(queued));
    expect(await store.pending(queued.id)).toEqual(commandOf(queued));
    await store.insert(waiting, commandOf(waiting));
    const future = Date.now() + 60_000;
    expect(await store.openSince(future, 10_000)).toEqual(expect.arrayContaining([queued.id]));
    expect(await store.openSince(future, 10_000)).not.toContain(waiting.id);
    await store.apply(waiting.id, { type: 'approved', at: 't', by: 'user:b' });
    expect(await store.openSince(future, 10_000)).toContain(waiting.id);
    await store.apply(queued.id, { type: 'started', at: 't' });
    expect(await store.openSince(future, 10_000)).toContain(queued.id);
    // Scored by the last change the gateway saw: a change moves it out of "unchanged since".
    expect(await store.openSince(Date.now() - 60_000, 10_000)).not.toContain(queued.id);
    await store.apply(queued.id, { type: 'failed', at: 't', error: { code: 'X', message: 'x' } });
    await store.apply(waiting.id, { type: 'cancelled', at: 't', by: 'user:b' });
    const open = await store.openSince(future, 10_000);
    expect(open).not.toContain(queued.id);
    expect(open).not.toContain(waiting.id);
  });

  it('adds operations made before the open index existed, once', async () => {
    const old = newOp('running');
    const done = newOp('succeeded');
    // As the previous version wrote them: document and creation index only.
    await redis.multi().set(`bosun:op:${old.id}`, JSON.stringify(old)).zadd('bosun:ops', Date.parse(old.createdAt), old.id)
      .set(`bosun:op:${done.id}`, JSON.stringify(done)).zadd('bosun:ops', Date.parse(done.createdAt), done.id).del('bosun:ops:open:backfilled').exec();
    expect(await store.backfillOpenIndex()).toBeGreaterThanOrEqual(1);
    const open = await store.openSince(Date.now() + 60_000, 100_000);
    expect(open).toContain(old.id);
    expect(open).not.toContain(done.id);
    expect(await store.backfillOpenIndex()).toBe(0);
  });
});
