import { backoffCeiling, backoffDelay } from './backoff.policy';

const opts = { baseMs: 500, maxMs: 30_000, jitter: 0.5 };

describe('backoffDelay', () => {
  it('is zero before any failure', () => {
    expect(backoffDelay(0, opts, () => 0.7)).toBe(0);
  });

  it.each([
    [1, 250, 500],
    [2, 500, 1000],
    [3, 1000, 2000],
    [6, 8000, 16000],
    [7, 15000, 30000],
    [50, 15000, 30000],
    [5000, 15000, 30000],
  ])('attempt %i stays within [%i, %i]', (attempt, low, high) => {
    expect(backoffDelay(attempt, opts, () => 0)).toBe(low);
    expect(backoffDelay(attempt, opts, () => 0.999999)).toBeLessThanOrEqual(high);
    expect(backoffDelay(attempt, opts, () => 0.999999)).toBeGreaterThan(high * 0.99);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(attempt, opts);
      expect(d).toBeGreaterThanOrEqual(low);
      expect(d).toBeLessThanOrEqual(high);
    }
  });

  it('spreads delays (jitter is real)', () => {
    const samples = new Set(Array.from({ length: 100 }, () => backoffDelay(5, opts)));
    expect(samples.size).toBeGreaterThan(20);
  });

  it('clamps jitter outside 0..1 and grows the ceiling exponentially', () => {
    expect(backoffDelay(3, { ...opts, jitter: 0 }, Math.random)).toBe(2000);
    expect(backoffDelay(3, { ...opts, jitter: 7 }, () => 0)).toBe(0);
    expect([1, 2, 3, 4].map((a) => backoffCeiling(a, opts))).toEqual([500, 1000, 2000, 4000]);
  });
});
