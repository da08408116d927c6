import { HealthRegistry } from './health.registry';

describe('HealthRegistry', () => {
  it('reports every probe: ok, not ok, a throwing probe as not ok with its message', async () => {
    const h = new HealthRegistry();
    h.register('nats', () => ({ ok: true }));
    h.register('redis', async () => ({ ok: false, detail: 'redis reconnecting' }));
    h.register('informers', () => { throw new Error('watch closed'); });
    expect(await h.check()).toEqual({ nats: { ok: true }, redis: { ok: false, detail: 'redis reconnecting' }, informers: { ok: false, detail: 'watch closed' } });
  });

  it('a probe that hangs is reported as timed out instead of holding the answer', async () => {
    jest.useFakeTimers();
    try {
      const h = new HealthRegistry();
      h.register('stuck', () => new Promise(() => undefined));
      const answer = h.check();
      await jest.advanceTimersByTimeAsync(1600);
      expect(await answer).toEqual({ stuck: { ok: false, detail: 'health probe timed out' } });
    } finally {
      jest.useRealTimers();
    }
  });

  it('a component registered again replaces the old probe', async () => {
    const h = new HealthRegistry();
    h.register('commands', () => ({ ok: false }));
    h.register('commands', () => ({ ok: true }));
    expect(await h.check()).toEqual({ commands: { ok: true } });
  });
});
