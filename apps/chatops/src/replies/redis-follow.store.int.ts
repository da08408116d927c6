import { followId, newFollow, type FollowRecord } from '@bosun/chatops-domain';
import type { Operation } from '@bosun/contracts';
import { connectRedisFailFast, type Redis } from '@bosun/messaging';
import { testInfra, uniqueName } from '@bosun/testing';
import { FakeGateway, operation, RecordingPoster, silentLogger, testConfig, testOptions } from '../testing/fakes';
import type { ChatUser, GatewayResult } from '../gateway/chat-gateway.port';
import { OperationFollower } from './operation.follower';
import { RedisFollowStore } from './redis-follow.store';
import { ReplyChannels } from './reply-channels';
import type { ResponseUrlPoster } from './response-url.poster';

// The follow store against a real Redis: leases, the final claim, expiry, sealing at rest;
// and two followers (two chatops replicas) sharing it.
jest.setTimeout(30_000);

const alice = { platform: 'slack' as const, userId: 'U1' };
const hook = (): string => `https://hooks.slack.com/commands/T1/${uniqueName('h')}/secret-part`;
const record = (url: string, opId = uniqueName('op'), limitMs = 60_000): FollowRecord =>
  newFollow({ operationId: opId, user: alice, responseUrl: url, replaceOriginal: false, now: Date.now(), limitMs });

let redis: Redis;
let store: RedisFollowStore;
beforeAll(async () => {
  redis = connectRedisFailFast(testInfra().redisUrl, 'chat-follow-int', silentLogger);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis at ${testInfra().redisUrl} is not answering: start it with bash scripts/infra.sh start test 14222 16379`)), 5000);
    redis.once('ready', () => { clearTimeout(timer); resolve(); });
  });
  store = new RedisFollowStore(redis, testConfig(), silentLogger);
});
afterAll(() => redis?.disconnect());

describe('RedisFollowStore', () => {
  it('keeps a follow sealed, with its expiry; one holder at a time; a released lease is free at once', async () => {
    const url = hook();
    const r = record(url);
    const id = followId(r.operationId, url);
    expect(await store.start(id, r, { sent: 1, shown: 'queued|' }, 'A', 5000)).toBe(true);
    expect(await store.start(id, r, { sent: 0, shown: 'queued|' }, 'B', 5000)).toBe(false);
    const raw = await redis.hgetall(`bosun:chat:follow:${id}`);
    expect(raw.record).toMatch(/^v1:/);
    expect(raw.record).not.toContain('secret-part');
    expect(await redis.pttl(`bosun:chat:follow:${id}`)).toBeGreaterThan(55_000);
    expect(await store.pending(Date.now(), 1000)).toContain(id);
    expect(await store.take(id, 'B', 5000)).toBeUndefined();
    expect(await store.renew(id, 'A', 5000)).toBe(true);
    expect(await store.renew(id, 'B', 5000)).toBe(false);
    await store.release(id, 'B');
    expect(await store.take(id, 'B', 5000)).toBeUndefined();
    await store.release(id, 'A');
    expect(await store.take(id, 'B', 5000)).toEqual({ record: r, progress: { sent: 1, shown: 'queued|' }, finalClaimed: false });
    await store.end(id);
  });

  it('a lapsed lease is anyone\'s; its old holder gets it back only while nobody took it', async () => {
    const url = hook();
    const r = record(url);
    const id = followId(r.operationId, url);
    await store.start(id, r, { sent: 0, shown: 'queued|' }, 'A', 50);
    await new Promise((res) => setTimeout(res, 80));
    expect(await store.renew(id, 'A', 5000)).toBe(true);
    await redis.del(`bosun:chat:follow:${id}:lease`);
    expect(await store.take(id, 'B', 5000)).toBeDefined();
    expect(await store.renew(id, 'A', 5000)).toBe(false);
    await store.end(id);
    expect(await store.renew(id, 'B', 5000)).toBe(false);
  });

  it('progress counts posts and what they showed, and never brings back an ended follow', async () => {
    const url = hook();
    const r = record(url);
    const id = followId(r.operationId, url);
    await store.start(id, r, { sent: 0, shown: 'queued|' }, 'A', 5000);
    await store.progressed(id, 'running|1/3 x');
    await store.progressed(id, 'running|2/3 x');
    await store.release(id, 'A');
    expect((await store.take(id, 'B', 5000))?.progress).toEqual({ sent: 2, shown: 'running|2/3 x' });
    await store.end(id);
    await store.progressed(id, 'running|3/3 x');
    expect(await redis.exists(`bosun:chat:follow:${id}`)).toBe(0);
    expect(await store.pending(Date.now(), 1000)).not.toContain(id);
  });

  it('the final message has one claimant; a claim is given back only by its owner; it outlives the follow', async () => {
    const url = hook();
    const r = record(url);
    const id = followId(r.operationId, url);
    await store.start(id, r, { sent: 0, shown: 'queued|' }, 'A', 5000);
    const claims = await Promise.all(['A', 'B', 'C', 'D'].map((o) => store.claimFinal(id, o, r.expiresAt + 60_000)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    const winner = ['A', 'B', 'C', 'D'][claims.indexOf(true)];
    expect(await store.claimFinal(id, winner, r.expiresAt + 60_000)).toBe(true);
    await store.unclaimFinal(id, winner === 'A' ? 'B' : 'A');
    expect(await redis.get(`bosun:chat:follow:${id}:final`)).toBe(winner);
    await store.end(id);
    expect(await redis.pttl(`bosun:chat:follow:${id}:final`)).toBeGreaterThan(100_000);
    await store.unclaimFinal(id, winner);
    expect(await store.claimFinal(id, 'E', Date.now() + 5000)).toBe(true);
  });

  it('an expired follow leaves the index; one sealed with another key is dropped, not guessed at', async () => {
    const url = hook();
    const gone = record(url, uniqueName('op'), 0);
    const goneId = followId(gone.operationId, url);
    await store.start(goneId, gone, { sent: 0, shown: 'queued|' }, 'A', 5000);
    await new Promise((res) => setTimeout(res, 20));
    expect(await store.pending(Date.now(), 1000)).not.toContain(goneId);
    expect(await redis.zscore('bosun:chat:follows', goneId)).toBeNull();

    const other = new RedisFollowStore(redis, testConfig({ BOSUN_INTERNAL_TOKEN: 'another-internal-token-0123456789' }), silentLogger);
    const r = record(url);
    const id = followId(r.operationId, url);
    await other.start(id, r, { sent: 0, shown: 'queued|' }, 'A', 5000);
    await other.release(id, 'A');
    expect(await store.take(id, 'B', 5000)).toBeUndefined();
    expect(await redis.exists(`bosun:chat:follow:${id}`)).toBe(0);
  });
});

/** Streams that wait for `open()`, then yield their operations. */
class GatedGateway extends FakeGateway {
  private release!: () => void;
  private readonly gate = new Promise<void>((r) => { this.release = r; });
  constructor(private readonly ops: Operation[]) { super(); }
  open(): void { this.release(); }
  override async operationEvents(_user: ChatUser, id: string, signal: AbortSignal): Promise<GatewayResult<AsyncIterable<Operation>>> {
    this.streamOpens.push(id);
    const { gate, ops } = this;
    const aborted = new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }));
    return { ok: true, status: 200, value: (async function* () { await Promise.race([gate, aborted]); if (!signal.aborted) yield* ops; })() };
  }
}

describe('two chatops replicas on one Redis', () => {
  const until = async (check: () => boolean, what: string): Promise<void> => {
    for (let i = 0; i < 600 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
    if (!check()) throw new Error(`timed out waiting for ${what}`);
  };
  const replica = (gw: FakeGateway, poster: RecordingPoster): { follower: OperationFollower; channels: ReplyChannels } => {
    const options = testOptions({ followLeaseMs: 300, followSweepMs: 100 });
    const channels = new ReplyChannels(poster as unknown as ResponseUrlPoster, gw, testConfig(), options, silentLogger);
    return { follower: new OperationFollower(gw, new RedisFollowStore(redis, testConfig(), silentLogger), channels, options, testConfig(), silentLogger), channels };
  };

  it('a replica that stops answering loses its follows to the other, and the thread gets one final message', async () => {
    const url = hook();
    const op = operation({ id: uniqueName('op') });
    const poster = new RecordingPoster();
    const gwA = new GatedGateway([{ ...op, status: 'succeeded' }]);
    const gwB = new GatedGateway([{ ...op, status: 'succeeded' }]);
    const a = replica(gwA, poster);
    const b = replica(gwB, poster);
    b.follower.onApplicationBootstrap();
    try {
      a.follower.follow(alice, op, a.channels.open(url, alice).channel!);
      const id = followId(op.id, url);
      await until(() => gwA.streamOpens.length === 1, 'A to follow');
      // A is frozen (no sweeps: its lease is never renewed), as a stuck or killed process would be.
      await until(() => gwB.streamOpens.length === 1, 'B to take the follow over');
      expect(await redis.get(`bosun:chat:follow:${id}:lease`)).toMatch(/^chatops-/);
      gwA.open();
      gwB.open();
      await until(() => a.follower.active === 0 && b.follower.active === 0, 'both to finish');
      expect(poster.posts.map((p) => p.message.text.split(' — ')[0])).toEqual(['Deploy team-a/web: succeeded']);
      expect(await redis.exists(`bosun:chat:follow:${id}`)).toBe(0);
    } finally {
      await Promise.all([a.follower.onApplicationShutdown(), b.follower.onApplicationShutdown()]);
    }
  });
});
