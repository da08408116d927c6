import { operation, RecordingPoster } from '../testing/fakes';
import { renderOperation } from '@bosun/chatops-domain';
import { ReplyChannel } from './reply.channel';

describe('ReplyChannel', () => {
  const msg = (n: number) => ({ ...renderOperation(operation()), text: `m${n}` });

  it('keeps the last post of the budget for the final message', async () => {
    const poster = new RecordingPoster();
    const ch = new ReplyChannel('hooks.slack.com', 'https://hooks.slack.com/x', poster, 3);
    expect(await ch.send(msg(1))).toBe(true);
    expect(await ch.send(msg(2))).toBe(true);
    expect(ch.progressAllowed).toBe(false);
    expect(await ch.send(msg(3))).toBe(false);
    expect(await ch.send(msg(4), true)).toBe(true);
    expect(await ch.send(msg(5), true)).toBe(false);
    expect(poster.posts.map((p) => p.message.text)).toEqual(['m1', 'm2', 'm4']);
  });

  it('posts in order, one at a time, even when callers do not wait', async () => {
    const order: string[] = [];
    let inFlight = 0;
    const poster = {
      post: async (_url: string, m: { text: string }) => {
        inFlight++;
        expect(inFlight).toBe(1);
        await new Promise((r) => setTimeout(r, m.text === 'm1' ? 30 : 1));
        order.push(m.text);
        inFlight--;
        return { ok: true as const, attempts: 1 };
      },
    };
    const ch = new ReplyChannel('h', 'https://h/x', poster, 5);
    void ch.send(msg(1));
    void ch.send(msg(2));
    await ch.send(msg(3), true);
    expect(order).toEqual(['m1', 'm2', 'm3']);
  });

  it('carries on from the posts a resumed follow had already spent', async () => {
    const poster = new RecordingPoster();
    const ch = new ReplyChannel('h', 'https://h/x', poster, 5, 4);
    expect(ch.progressAllowed).toBe(false);
    expect(await ch.send(msg(1))).toBe(false);
    expect(await ch.send(msg(2), true)).toBe(true);
    expect(ch.used).toBe(5);
    expect(poster.posts.map((p) => p.message.text)).toEqual(['m2']);
  });

  it('reports a post that finally failed', async () => {
    const ch = new ReplyChannel('h', 'https://h/x', new RecordingPoster(() => ({ ok: false, attempts: 4, detail: 'HTTP 500' })), 5);
    expect(await ch.send(msg(1), true)).toBe(false);
  });
});
