import { listIndex, remainingSeconds, trimmedIndexes } from './operation.indexes';

const DAY = 86400;

describe('operation indexes', () => {
  it('answer each list filter from the one index that holds exactly its operations', () => {
    expect(listIndex({})).toBe('bosun:ops');
    expect(listIndex({ status: 'running' })).toBe('bosun:ops:status:running');
    expect(listIndex({ kind: 'deployment.deploy' })).toBe('bosun:ops:kind:deployment.deploy');
    expect(listIndex({ status: 'failed', kind: 'deployment.deploy' })).toBe('bosun:ops:status:failed:kind:deployment.deploy');
    // A kind from the query string stays inside the kind indexes' names, whatever it holds.
    expect(listIndex({ kind: 'x:status:running' })).toBe('bosun:ops:kind:x:status:running');
  });

  it('trim the creation index, the terminal statuses and every kind (open ones never expire)', () => {
    expect(trimmedIndexes([])).toEqual(['bosun:ops', 'bosun:ops:status:succeeded', 'bosun:ops:status:failed', 'bosun:ops:status:rejected', 'bosun:ops:status:cancelled']);
    const keys = trimmedIndexes(['deployment.deploy', 'dns.checks']);
    expect(keys).toHaveLength(5 + 2 + 4 * 2);
    expect(keys).toEqual(expect.arrayContaining(['bosun:ops:kind:dns.checks', 'bosun:ops:status:cancelled:kind:deployment.deploy']));
    expect(keys.some((k) => /status:(queued|running|awaiting_approval)/.test(k))).toBe(false);
  });

  it('keep a terminal operation the retention from when it ended; an open one forever', () => {
    const now = Date.parse('2026-12-10T00:00:00Z');
    const op = (status: 'succeeded' | 'running' | 'awaiting_approval' | 'cancelled', updatedAt: string) => ({ status, createdAt: '2026-12-01T00:00:00Z', updatedAt });
    expect(remainingSeconds(op('running', '2026-12-01T00:00:00Z'), 30 * DAY, now)).toBeUndefined();
    expect(remainingSeconds(op('awaiting_approval', '2026-12-01T00:00:00Z'), 30 * DAY, now)).toBeUndefined();
    expect(remainingSeconds(op('succeeded', '2026-12-09T00:00:00Z'), 30 * DAY, now)).toBe(29 * DAY);
    expect(remainingSeconds(op('succeeded', '2026-12-10T00:00:00Z'), 30 * DAY, now)).toBe(30 * DAY);
    // Ended longer ago than the retention: expires at once (never a negative or zero TTL, which Redis would refuse or mean "delete").
    expect(remainingSeconds(op('cancelled', '2026-10-01T00:00:00Z'), 30 * DAY, now)).toBe(1);
    // An unreadable updatedAt (tests write `at: 't'`): counted from its creation.
    expect(remainingSeconds(op('succeeded', 't'), 30 * DAY, now)).toBe(21 * DAY);
  });
});
