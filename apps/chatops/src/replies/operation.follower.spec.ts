import { followId, newFollow, type SlackMessage } from '@bosun/chatops-domain';
import type { Operation } from '@bosun/contracts';
import { FakeGateway, MemoryFollowStore, operation, RecordingPoster, silentLogger, testConfig, testOptions } from '../testing/fakes';
import type { ChatopsOptions } from '../chatops.options';
import type { ChatUser, GatewayResult } from '../gateway/chat-gateway.port';
import { OperationFollower } from './operation.follower';
import { ReplyChannels } from './reply-channels';
import type { PostOutcome, ResponseUrlPoster } from './response-url.poster';

const alice = { platform: 'slack' as const, userId: 'U1' };
const HOOK = 'https://hooks.slack.com/commands/T1/1/abc';
const ID = followId(operation().id, HOOK);
const running = (current: number) => operation({ status: 'running', progress: { current, total: 3, message: `${current} of 3 replicas updated` } });
const succeeded = operation({ status: 'succeeded' });
const heads = (poster: RecordingPoster): string[] => poster.posts.map((p) => p.message.text.split(' — ')[0]);
const until = async (check: () => boolean, what = 'the condition'): Promise<void> => {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
};

/** A gateway whose streams each wait for `open()` and then yield their operations. */
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

/** One chatops process: its follower over a store that may be shared with another. */
const replica = (gw: FakeGateway, store: MemoryFollowStore, poster: { post(url: string, m: SlackMessage): Promise<PostOutcome> }, over: Partial<ChatopsOptions> = {}) => {
  const options = testOptions(over);
  const channels = new ReplyChannels(poster as unknown as ResponseUrlPoster, gw, testConfig(), options, silentLogger);
  const follower = new OperationFollower(gw, store, channels, options, testConfig(), silentLogger);
  return { follower, channel: () => channels.open(HOOK, alice).channel! };
};

describe('OperationFollower', () => {
  const followers: OperationFollower[] = [];
  const start = (...args: Parameters<typeof replica>) => {
    const r = replica(...args);
    followers.push(r.follower);
    return r;
  };
  afterEach(async () => {
    await Promise.all(followers.splice(0).map((f) => f.onApplicationShutdown()));
  });

  it('posts progress and then the final state, skipping what the ack already showed', async () => {
    const gw = new FakeGateway();
    gw.streams = [[operation(), running(1), running(2), succeeded]];
    const poster = new RecordingPoster();
    const { follower, channel } = start(gw, new MemoryFollowStore(), poster);
    follower.follow(alice, operation(), channel());
    await until(() => follower.active === 0);
    expect(heads(poster)).toEqual(['Deploy team-a/web: running', 'Deploy team-a/web: running', 'Deploy team-a/web: succeeded']);
    expect(JSON.stringify(poster.posts[1].message.blocks)).toContain('2/3 replicas updated');
  });

  it('coalesces fast progress into the newest state and always delivers the final one within budget', async () => {
    const gw = new FakeGateway();
    gw.streams = [[running(1), running(2), running(3), operation({ status: 'failed', error: { code: 'ProgressDeadlineExceeded', message: 'timed out' } })]];
    const poster = new RecordingPoster();
    const { follower, channel } = start(gw, new MemoryFollowStore(), poster, { progressIntervalMs: 60_000, maxPostsPerResponseUrl: 2 });
    follower.follow(alice, operation(), channel());
    await until(() => follower.active === 0);
    expect(poster.posts).toHaveLength(1);
    expect(poster.posts[0].message.text).toMatch(/failed \(ProgressDeadlineExceeded: timed out\)/);
  });

  it('re-opens a dropped stream and carries on', async () => {
    const gw = new FakeGateway();
    gw.streams = [[running(1)], { ok: false, problem: { title: 'Service Unavailable', status: 503 } }, [running(1), succeeded]];
    const poster = new RecordingPoster();
    const { follower, channel } = start(gw, new MemoryFollowStore(), poster);
    follower.follow(alice, operation(), channel());
    await until(() => follower.active === 0);
    expect(gw.streamOpens).toHaveLength(3);
    expect(heads(poster)).toEqual(['Deploy team-a/web: running', 'Deploy team-a/web: succeeded']);
  });

  it('stops (and forgets the follow) when the gateway refuses the stream; does not follow finished operations', async () => {
    const gw = new FakeGateway();
    gw.streams = [{ ok: false, problem: { title: 'Not Found', status: 404 } }];
    const store = new MemoryFollowStore();
    const { follower, channel } = start(gw, store, new RecordingPoster());
    follower.follow(alice, operation(), channel());
    await until(() => follower.active === 0);
    expect(store.follows.size).toBe(0);
    follower.follow(alice, operation({ status: 'rejected' }), channel());
    expect(follower.active).toBe(0);
    expect(gw.streamOpens).toHaveLength(1);
  });

  it('replaces the original message when asked (button decisions), also once resumed', async () => {
    const gw = new FakeGateway();
    const store = new MemoryFollowStore();
    const poster = new RecordingPoster();
    const a = start(gw, store, poster);
    a.follower.follow(alice, operation(), a.channel(), { replaceOriginal: true });
    await until(() => store.follows.size === 1);
    await a.follower.onApplicationShutdown();
    const b = start(Object.assign(new FakeGateway(), { streams: [[succeeded]] }), store, poster);
    await b.follower.sweep();
    await until(() => poster.posts.length === 1);
    expect(poster.posts[0].message.replace_original).toBe(true);
  });

  it('one follow per operation and thread', async () => {
    const gw = new FakeGateway();
    const { follower, channel } = start(gw, new MemoryFollowStore(), new RecordingPoster());
    follower.follow(alice, operation(), channel());
    follower.follow(alice, operation(), channel());
    expect(follower.active).toBe(1);
  });
});

describe('OperationFollower across restarts and replicas', () => {
  const followers: OperationFollower[] = [];
  const start = (...args: Parameters<typeof replica>) => {
    const r = replica(...args);
    followers.push(r.follower);
    return r;
  };
  afterEach(async () => {
    await Promise.all(followers.splice(0).map((f) => f.onApplicationShutdown()));
  });

  it('keeps the follow in the store while it runs, with what was shown and spent; forgets it after the final message', async () => {
    const gw = new GatedGateway([running(1), succeeded]);
    const store = new MemoryFollowStore();
    const poster = new RecordingPoster();
    const { follower, channel } = start(gw, store, poster);
    follower.follow(alice, operation(), channel());
    await until(() => store.follows.size === 1);
    expect(store.follows.get(ID)).toMatchObject({ record: { operationId: operation().id, platform: 'slack', userId: 'U1', responseUrl: HOOK }, progress: { sent: 0, shown: 'queued|' } });
    expect(store.leases.get(ID)?.owner).toMatch(/^chatops-/);
    gw.open();
    await until(() => follower.active === 0);
    expect(heads(poster)).toEqual(['Deploy team-a/web: running', 'Deploy team-a/web: succeeded']);
    expect(store.follows.size).toBe(0);
    expect(store.finals.has(ID)).toBe(true);
  });

  it('a graceful restart: the stored follow is handed over and the next process posts only what the thread has not seen, the final message once', async () => {
    const store = new MemoryFollowStore();
    const poster = new RecordingPoster();
    const gwA = new FakeGateway();
    gwA.streams = [[operation(), running(1)]]; // then the next connection hangs until the stop
    const a = start(gwA, store, poster);
    a.follower.follow(alice, operation(), a.channel());
    await until(() => store.follows.get(ID)?.progress.sent === 1, 'the first progress post');
    await a.follower.onApplicationShutdown();
    expect(a.follower.active).toBe(0);
    expect(store.follows.get(ID)?.progress).toEqual({ sent: 1, shown: 'running|1/3 1 of 3 replicas updated' });
    expect(store.leases.has(ID)).toBe(false);

    const gwB = new FakeGateway();
    gwB.streams = [[running(1), running(2), succeeded]];
    const b = start(gwB, store, poster);
    await b.follower.sweep();
    await until(() => b.follower.active === 0 && poster.posts.length === 3);
    expect(heads(poster)).toEqual(['Deploy team-a/web: running', 'Deploy team-a/web: running', 'Deploy team-a/web: succeeded']);
    expect(poster.posts.map((p) => p.url)).toEqual([HOOK, HOOK, HOOK]);
    expect(gwB.streamOpens).toEqual([operation().id]);
    expect(store.follows.size).toBe(0);
  });

  it('a resumed follow keeps within the budget the thread has spent: only the final message is left', async () => {
    const store = new MemoryFollowStore();
    const record = newFollow({ operationId: operation().id, user: alice, responseUrl: HOOK, replaceOriginal: false, now: Date.now(), limitMs: 60_000 });
    store.follows.set(ID, { record, progress: { sent: 4, shown: 'queued|' } });
    const gw = new FakeGateway();
    gw.streams = [[running(1), running(2), succeeded]];
    const poster = new RecordingPoster();
    const b = start(gw, store, poster);
    await b.follower.sweep();
    await until(() => b.follower.active === 0);
    expect(heads(poster)).toEqual(['Deploy team-a/web: succeeded']);
  });

  it('a crash: the lease lapses, another replica resumes, and the crashed one (if it ever comes back) stops without posting', async () => {
    const store = new MemoryFollowStore();
    const poster = new RecordingPoster();
    const gwA = new GatedGateway([succeeded]); // never opened: A hangs as a dead process would
    const a = start(gwA, store, poster);
    a.follower.follow(alice, operation(), a.channel());
    await until(() => store.follows.size === 1);
    const crashed = store.leases.get(ID)!.owner;
    store.lapse();
    const gwB = new FakeGateway();
    gwB.streams = [[operation()]]; // B follows too, then hangs
    const b = start(gwB, store, poster);
    await b.follower.sweep();
    expect(b.follower.active).toBe(1);
    expect(store.leases.get(ID)?.owner).toMatch(/^chatops-/);
    expect(store.leases.get(ID)?.owner).not.toBe(crashed);
    await a.follower.sweep(); // A's renewal finds the lease taken
    await until(() => a.follower.active === 0, 'A to stop');
    gwA.open();
    expect(poster.posts).toEqual([]);
    expect(store.follows.size).toBe(1);
  });

  it('two replicas that both see the end post the final message once (the claim)', async () => {
    const store = new MemoryFollowStore();
    const poster = new RecordingPoster();
    const gwA = new GatedGateway([succeeded]);
    const gwB = new GatedGateway([succeeded]);
    const a = start(gwA, store, poster);
    a.follower.follow(alice, operation(), a.channel());
    await until(() => store.follows.size === 1);
    store.lapse();
    const b = start(gwB, store, poster);
    await b.follower.sweep();
    expect([a.follower.active, b.follower.active]).toEqual([1, 1]);
    gwA.open();
    gwB.open();
    await until(() => a.follower.active === 0 && b.follower.active === 0);
    expect(heads(poster)).toEqual(['Deploy team-a/web: succeeded']);
  });

  it('a final message claimed by a process that died mid-post is never posted again (at most once)', async () => {
    const store = new MemoryFollowStore();
    const record = newFollow({ operationId: operation().id, user: alice, responseUrl: HOOK, replaceOriginal: false, now: Date.now(), limitMs: 60_000 });
    store.follows.set(ID, { record, progress: { sent: 1, shown: 'running|' } });
    store.finals.set(ID, 'chatops-dead:0');
    const gw = new FakeGateway();
    const poster = new RecordingPoster();
    const b = start(gw, store, poster);
    await b.follower.sweep();
    expect(b.follower.active).toBe(0);
    expect(gw.streamOpens).toEqual([]);
    expect(poster.posts).toEqual([]);
    expect(store.follows.size).toBe(0);
  });

  it('stopped while the final post fails: the claim is given back and the next process posts it', async () => {
    const store = new MemoryFollowStore();
    let answer: ((o: PostOutcome) => void) | undefined;
    const failing = { post: (): Promise<PostOutcome> => new Promise((r) => { answer = r; }) };
    const a = start(Object.assign(new FakeGateway(), { streams: [[succeeded]] }), store, failing);
    a.follower.follow(alice, operation(), a.channel());
    await until(() => answer !== undefined, 'the final post to start');
    const stopped = a.follower.onApplicationShutdown();
    answer!({ ok: false, attempts: 1, detail: 'HTTP 503' });
    await stopped;
    expect(store.finals.has(ID)).toBe(false);
    expect(store.follows.has(ID)).toBe(true);

    const poster = new RecordingPoster();
    const b = start(Object.assign(new FakeGateway(), { streams: [[succeeded]] }), store, poster);
    await b.follower.sweep();
    await until(() => b.follower.active === 0);
    expect(heads(poster)).toEqual(['Deploy team-a/web: succeeded']);
  });

  it('stopped while the final post succeeds: it is waited for, and the follow is over', async () => {
    const store = new MemoryFollowStore();
    let answer: ((o: PostOutcome) => void) | undefined;
    const slow = { post: (): Promise<PostOutcome> => new Promise((r) => { answer = r; }) };
    const a = start(Object.assign(new FakeGateway(), { streams: [[succeeded]] }), store, slow);
    a.follower.follow(alice, operation(), a.channel());
    await until(() => answer !== undefined, 'the final post to start');
    const stopped = a.follower.onApplicationShutdown();
    answer!({ ok: true, attempts: 1 });
    await stopped;
    expect(store.follows.size).toBe(0);
    expect(store.finals.has(ID)).toBe(true);
  });

  it('a store that is away at the start: followed in memory, the final message posted without a claim', async () => {
    const store = new MemoryFollowStore();
    store.down = true;
    const poster = new RecordingPoster();
    const { follower, channel } = start(Object.assign(new FakeGateway(), { streams: [[running(1), succeeded]] }), store, poster);
    follower.follow(alice, operation(), channel());
    await until(() => follower.active === 0);
    expect(heads(poster)).toEqual(['Deploy team-a/web: running', 'Deploy team-a/web: succeeded']);
  });

  it('a store that is away at the end: the final message waits for its claim', async () => {
    const store = new MemoryFollowStore();
    const poster = new RecordingPoster();
    const gw = new GatedGateway([succeeded]);
    const { follower, channel } = start(gw, store, poster);
    follower.follow(alice, operation(), channel());
    await until(() => store.follows.size === 1);
    store.down = true;
    gw.open();
    await new Promise((r) => setTimeout(r, 60));
    expect(poster.posts).toEqual([]);
    store.down = false;
    await until(() => follower.active === 0);
    expect(heads(poster)).toEqual(['Deploy team-a/web: succeeded']);
  });

  it('a stored follow whose response URL the allow-list no longer passes is dropped unread', async () => {
    const store = new MemoryFollowStore();
    const record = newFollow({ operationId: operation().id, user: alice, responseUrl: 'https://hooks.example.com/x', replaceOriginal: false, now: Date.now(), limitMs: 60_000 });
    store.follows.set('other', { record, progress: { sent: 0, shown: 'queued|' } });
    const gw = new FakeGateway();
    const b = start(gw, store, new RecordingPoster());
    await b.follower.sweep();
    expect(gw.streamOpens).toEqual([]);
    expect(store.follows.size).toBe(0);
  });

  it('reads the resumed operation as the chat user who asked', async () => {
    const store = new MemoryFollowStore();
    const bob = { platform: 'webhook' as const, userId: 'bob' };
    const record = newFollow({ operationId: 'op_bob', user: bob, responseUrl: HOOK, replaceOriginal: false, now: Date.now(), limitMs: 60_000 });
    store.follows.set(followId('op_bob', HOOK), { record, progress: { sent: 0, shown: 'queued|' } });
    const users: ChatUser[] = [];
    const gw = new (class extends FakeGateway {
      override operationEvents(user: ChatUser, id: string, signal: AbortSignal): ReturnType<FakeGateway['operationEvents']> {
        users.push(user);
        return super.operationEvents(user, id, signal);
      }
    })();
    gw.streams = [[succeeded]];
    const b = start(gw, store, new RecordingPoster());
    await b.follower.sweep();
    await until(() => b.follower.active === 0);
    expect(users).toEqual([bob]);
  });
});
