import { streamBound } from './audit.log';

describe('audit range bounds', () => {
  it('are millisecond stream ids, open when absent, never negative (the fuzzer sent since=0020-02-29: a 500 from Redis)', () => {
    expect(streamBound(undefined, '-')).toBe('-');
    expect(streamBound(undefined, '+')).toBe('+');
    expect(streamBound('2026-12-01T20:00:00Z', '-')).toBe(String(Date.UTC(2026, 11, 1, 20)));
    expect(streamBound('2026-12-01', '+')).toBe(String(Date.UTC(2026, 11, 1)));
    expect(streamBound('0020-02-29', '-')).toBe('0');
    expect(streamBound('1969-12-31T23:59:59Z', '+')).toBe('0');
  });
});
