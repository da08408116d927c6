import { FakeGateway, operation, RecordingPoster, silentLogger, testOptions } from '../testing/fakes';
import { OperationFollower } from './operation.follower';
import { ReplyChannel } from './reply.channel';

const alice = { platform: 'slack' as const, userId: 'U1' };
const running = (current: number) => operation({ status: 'running', progress: { current, total: 3, message: `${current} of 3 replicas updated` } });
const settled = async (follower: OperationFollower): Promise<void> => {
  for (let i = 0; i < 200 && follower.active > 0; i++) await new Promise((r) => setTimeout(r, 5));
};

describe('OperationFollower', () => {
  let follower: OperationFollower | undefined;
  afterEach(async () => follower?.onApplicationShutdown());

  it('posts progress and then the final state, skipping what the ack already showed', async () => {
    const gw = new FakeGateway();
    gw.streams = [[operation(), running(1), running(2), operation({ status: 'succeeded' })]];
    const poster = new RecordingPoster();
    follower = new OperationFollower(gw, testOptions(), silentLogger);
    follower.follow(alice, operation(), new ReplyChannel('h', 'http://127.0.0.1:1/r', poster, 5));
    await settled(follower);
    expect(poster.posts.map((p) => p.message.text.split(' — ')[0])).toEqual([
      'Deploy team-a/web: running', 'Deploy team-a/web: running', 'Deploy team-a/web: succeeded',
    ]);
    expect(JSON.stringify(poster.posts[1].message.blocks)).toContain('2/3 replicas updated');
  });

  it('coalesces fast progress into the newest state and always delivers the final one within budget', async () => {
    const gw = new FakeGateway();
    gw.streams = [[running(1), running(2), running(3), operation({ status: 'failed', error: { code: 'ProgressDeadlineExceeded', message: 'timed out' } })]];
    const poster = new RecordingPoster();
    follower = new OperationFollower(gw, testOptions({ progressIntervalMs: 60_000 }), silentLogger);
    follower.follow(alice, operation(), new ReplyChannel('h', 'http://127.0.0.1:1/r', poster, 2));
    await settled(follower);
    expect(poster.posts).toHaveLength(1);
    expect(poster.posts[0].message.text).toMatch(/failed \(ProgressDeadlineExceeded: timed out\)/);
  });

  it('re-opens a dropped stream and carries on', async () => {
    const gw = new FakeGateway();
    gw.streams = [[running(1)], { ok: false, problem: { title: 'Service Unavailable', status: 503 } }, [running(1), operation({ status: 'succeeded' })]];
    const poster = new RecordingPoster();
    follower = new OperationFollower(gw, testOptions(), silentLogger);
    follower.follow(alice, operation(), new ReplyChannel('h', 'http://127.0.0.1:1/r', poster, 5));
    await settled(follower);
    expect(gw.streamOpens).toHaveLength(3);
    expect(poster.posts.map((p) => p.message.text.split(' — ')[0])).toEqual(['Deploy team-a/web: running', 'Deploy team-a/web: succeeded']);
  });

  it('stops when the gateway refuses the stream, and does not follow finished operations', async () => {
    const gw = new FakeGateway();
    gw.streams = [{ ok: false, problem: { title: 'Not Found', status: 404 } }];
    follower = new OperationFollower(gw, testOptions(), silentLogger);
    const ch = new ReplyChannel('h', 'http://127.0.0.1:1/r', new RecordingPoster(), 5);
    follower.follow(alice, operation(), ch);
    await settled(follower);
    follower.follow(alice, operation({ status: 'rejected' }), ch);
    expect(follower.active).toBe(0);
    expect(gw.streamOpens).toHaveLength(1);
  });

  it('replaces the original message when asked (button decisions)', async () => {
    const gw = new FakeGateway();
    gw.streams = [[operation({ status: 'succeeded' })]];
    const poster = new RecordingPoster();
    follower = new OperationFollower(gw, testOptions(), silentLogger);
    follower.follow(alice, operation(), new ReplyChannel('h', 'http://127.0.0.1:1/r', poster, 5), { replaceOriginal: true });
    await settled(follower);
    expect(poster.posts[0].message.replace_original).toBe(true);
  });

  it('stops following on shutdown', async () => {
    follower = new OperationFollower(new FakeGateway(), testOptions(), silentLogger);
    follower.follow(alice, operation(), new ReplyChannel('h', 'http://127.0.0.1:1/r', new RecordingPoster(), 5));
    expect(follower.active).toBe(1);
    await follower.onApplicationShutdown();
    expect(follower.active).toBe(0);
  });
});
