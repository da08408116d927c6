import { decodeFollow, encodeFollow, followId, newFollow, progressFingerprint, resumeDecision, type FollowRecord } from './index';

const URL_A = 'https://hooks.slack.com/commands/T1/1/abc';
const record = (over: Partial<FollowRecord> = {}): FollowRecord => ({
  ...newFollow({ operationId: 'op_1', user: { platform: 'slack', userId: 'U1' }, responseUrl: URL_A, replaceOriginal: false, now: 1000, limitMs: 60_000 }),
  ...over,
});

describe('follow records', () => {
  it('one id per operation and thread: stable, fixed length, and the URL cannot be read from it', () => {
    const id = followId('op_1', URL_A);
    expect(id).toBe(followId('op_1', URL_A));
    expect(id).toMatch(/^[0-9a-f]{40}$/);
    expect(id).not.toContain('hooks');
    expect(followId('op_2', URL_A)).not.toBe(id);
    expect(followId('op_1', `${URL_A}x`)).not.toBe(id);
    // The separator keeps the two parts apart: no shifting of characters from one to the other collides.
    expect(followId('op_1', 'https://a/b')).not.toBe(followId('op_1https://a', '/b'));
  });

  it('a new follow expires after the follow limit', () => {
    expect(record()).toEqual({ operationId: 'op_1', platform: 'slack', userId: 'U1', responseUrl: URL_A, replaceOriginal: false, startedAt: 1000, expiresAt: 61_000 });
  });

  it('round-trips through its text form', () => {
    const r = record({ platform: 'webhook', replaceOriginal: true });
    expect(decodeFollow(encodeFollow(r))).toEqual(r);
  });

  it.each([
    ['not JSON', '{oops'],
    ['another format version', JSON.stringify({ ...record(), v: 2 })],
    ['no version', JSON.stringify(record())],
    ['an unknown platform', JSON.stringify({ v: 1, ...record(), platform: 'irc' })],
    ['no operation', JSON.stringify({ v: 1, ...record(), operationId: '' })],
    ['no URL', JSON.stringify({ v: 1, ...record(), responseUrl: undefined })],
    ['a time that is not a number', JSON.stringify({ v: 1, ...record(), expiresAt: '61000' })],
    ['expiring before it started', JSON.stringify({ v: 1, ...record(), expiresAt: 10 })],
    ['null', 'null'],
  ])('refuses %s rather than guessing', (_what, text) => {
    expect(decodeFollow(text)).toBeUndefined();
  });

  it('the fingerprint of what was shown changes with status and progress only', () => {
    expect(progressFingerprint({ status: 'queued' })).toBe('queued|');
    expect(progressFingerprint({ status: 'running', progress: { current: 1, total: 3, message: '1 of 3' } })).toBe('running|1/3 1 of 3');
    expect(progressFingerprint({ status: 'running', progress: { current: 2, total: 3, message: '1 of 3' } })).not.toBe('running|1/3 1 of 3');
  });
});

describe('resuming a stored follow', () => {
  const state = (over: Partial<{ now: number; maxPosts: number; finalClaimed: boolean }> = {}) => ({ now: 31_000, maxPosts: 5, finalClaimed: false, ...over });

  it.each([
    ['within its limit and budget', {}, { sent: 2, shown: 'running|' }, { resume: true, remainingMs: 30_000 }],
    ['with only the final post left', {}, { sent: 4, shown: 'running|' }, { resume: true, remainingMs: 30_000 }],
    ['past its limit', { now: 61_000 }, { sent: 0, shown: 'queued|' }, { resume: false, why: 'expired' }],
    ['with every post spent', {}, { sent: 5, shown: 'running|' }, { resume: false, why: 'budget spent' }],
    // A claimant that died mid-post may have delivered it: a second final message would be a duplicate.
    ['whose final message was claimed', { finalClaimed: true }, { sent: 1, shown: 'running|' }, { resume: false, why: 'final claimed' }],
    ['claimed and expired: the claim is the reason', { finalClaimed: true, now: 99_000 }, { sent: 1, shown: 'x' }, { resume: false, why: 'final claimed' }],
  ] as const)('%s', (_what, over, progress, expected) => {
    expect(resumeDecision(record(), progress, state(over))).toEqual(expected);
  });
});
