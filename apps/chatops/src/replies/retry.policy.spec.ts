import { backoffDelay, isRetryableStatus, retryAfterMs, sleep } from './retry.policy';

describe('retry policy', () => {
  it.each([[408, true], [425, true], [429, true], [500, true], [503, true], [400, false], [403, false], [404, false], [410, false]])(
    'HTTP %i retryable: %s', (status, expected) => expect(isRetryableStatus(status)).toBe(expected));

  it('doubles the delay per attempt, jittered between half and full', () => {
    expect([1, 2, 3, 4].map((a) => backoffDelay(a, 500, () => 1))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3].map((a) => backoffDelay(a, 500, () => 0))).toEqual([250, 500, 1000]);
  });

  it('reads Retry-After as seconds or a date, capped', () => {
    const now = Date.parse('2026-11-21T10:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('Sat, 21 Nov 2026 10:00:10 GMT', now)).toBe(10_000);
    expect(retryAfterMs('86400', now)).toBe(30_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });

  it('sleep ends early when aborted', async () => {
    const ac = new AbortController();
    const started = Date.now();
    const done = sleep(10_000, ac.signal);
    ac.abort();
    await done;
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
