import { createHmac } from 'node:crypto';
import {
  replayKey, replayTtlSeconds, signSlack, signWebhook, verifySlackSignature, verifyWebhookSignature,
} from './index';

// Slack's documented example (api.slack.com/authentication/verifying-requests-from-slack).
const slackExample = {
  signingSecret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: '1531420618',
  rawBody: 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};
const t0 = 1_700_000_000;
const at = (seconds: number): Date => new Date(seconds * 1000);
const secret = 'shh-its-a-secret';
const body = 'token=x&user_id=U1&text=deploy+team-a%2Fweb+nginx%3A1.27&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1';
const slack = (over: Partial<Parameters<typeof verifySlackSignature>[0]> = {}) => {
  const base = { signingSecret: secret, timestamp: String(t0), rawBody: body, now: at(t0) };
  return verifySlackSignature({ ...base, signature: signSlack(base), ...over });
};

describe('verifySlackSignature', () => {
  it('accepts Slack\'s own documented example', () => {
    expect(signSlack(slackExample)).toBe(slackExample.signature);
    expect(verifySlackSignature({ ...slackExample, now: at(1531420618 + 10) })).toMatchObject({ ok: true, timestamp: 1531420618 });
  });

  it('accepts a fresh, correctly signed request and hands out a replay key', () => {
    const r = slack();
    expect(r).toEqual({ ok: true, timestamp: t0, replayKey: expect.stringMatching(/^[0-9a-f]{64}$/), replayTtlSeconds: 301 });
  });

  it('accepts a Buffer body and a numeric clock', () => {
    expect(slack({ rawBody: Buffer.from(body), now: t0 * 1000 })).toMatchObject({ ok: true });
  });

  it.each([
    ['bad signature', { signature: `v0=${'0'.repeat(64)}` }, 'bad-signature'],
    ['wrong secret', { signingSecret: 'another-secret' }, 'bad-signature'],
    ['empty configured secret', { signingSecret: '' }, 'bad-signature'],
    ['body altered after signing', { rawBody: body.replace('nginx', 'evil') }, 'bad-signature'],
    ['body with a byte appended', { rawBody: `${body}&` }, 'bad-signature'],
    ['timestamp changed after signing', { timestamp: String(t0 + 1), now: at(t0 + 1) }, 'bad-signature'],
    ['stale by 301 s', { now: at(t0 + 301) }, 'stale'],
    ['an hour old', { now: at(t0 + 3600) }, 'stale'],
    ['301 s in the future', { now: at(t0 - 301) }, 'future'],
    ['missing timestamp', { timestamp: undefined }, 'missing-headers'],
    ['missing signature', { signature: undefined }, 'missing-headers'],
    ['empty signature', { signature: '' }, 'missing-headers'],
    ['null headers', { signature: null, timestamp: null }, 'missing-headers'],
    ['repeated header', { signature: ['v0=aa', 'v0=bb'] }, 'malformed'],
    ['timestamp not a number', { timestamp: 'yesterday' }, 'malformed'],
    ['timestamp in milliseconds-plus', { timestamp: '1700000000000000' }, 'malformed'],
    ['negative timestamp', { timestamp: '-5' }, 'malformed'],
    ['wrong scheme', { signature: `v1=${'a'.repeat(64)}` }, 'malformed'],
    ['truncated hex', { signature: 'v0=abcdef' }, 'malformed'],
    ['non-hex', { signature: `v0=${'z'.repeat(64)}` }, 'malformed'],
    ['invalid clock', { now: new Date('nope') }, 'malformed'],
  ])('refuses %s', (_name, over, reason) => {
    const r = slack(over as Parameters<typeof slack>[0]);
    expect(r).toMatchObject({ ok: false, reason });
    expect(!r.ok && r.detail.length).toBeGreaterThan(0);
  });

  it('accepts the edges of the window, both ways', () => {
    expect(slack({ now: at(t0 + 300) })).toMatchObject({ ok: true, replayTtlSeconds: 1 });
    expect(slack({ now: at(t0 - 300) })).toMatchObject({ ok: true, replayTtlSeconds: 601 });
  });

  it('accepts upper-case hex and surrounding spaces, with the same replay key', () => {
    const sig = signSlack({ signingSecret: secret, timestamp: t0, rawBody: body });
    const upper = slack({ signature: ` v0=${sig.slice(3).toUpperCase()} ` });
    expect(upper).toMatchObject({ ok: true });
    expect(upper.ok && upper.replayKey).toBe(slack().ok && (slack() as { replayKey: string }).replayKey);
  });

  it('honours a custom tolerance', () => {
    expect(slack({ now: at(t0 + 61), toleranceSeconds: 60 })).toMatchObject({ ok: false, reason: 'stale' });
  });
});

describe('verifyWebhookSignature', () => {
  const json = JSON.stringify({ user: 'bridge:alice', text: 'status team-a/web', responseUrl: 'http://127.0.0.1:9000/hook' });
  const hook = (over: Partial<Parameters<typeof verifyWebhookSignature>[0]> = {}) =>
    verifyWebhookSignature({ secret, timestamp: String(t0), signature: signWebhook({ secret, timestamp: t0, rawBody: json }), rawBody: json, now: at(t0), ...over });

  it('accepts a correctly signed, fresh request', () => {
    // Vector computed independently: printf 'v1:1700000000:hello' | openssl dgst -sha256 -hmac k
    expect(signWebhook({ secret: 'k', timestamp: 1700000000, rawBody: 'hello' })).toBe(`v1=${createHmac('sha256', 'k').update('v1:1700000000:hello').digest('hex')}`);
    expect(hook()).toEqual({ ok: true, timestamp: t0, replayKey: expect.stringMatching(/^[0-9a-f]{64}$/), replayTtlSeconds: 301 });
  });

  it.each([
    ['bad signature', { signature: `v1=${'1'.repeat(64)}` }, 'bad-signature'],
    ['a fresh timestamp on a captured signature', { timestamp: String(t0 + 100), now: at(t0 + 100) }, 'bad-signature'],
    ['wrong secret', { secret: 'nope' }, 'bad-signature'],
    ['body altered after signing', { rawBody: json.replace('status', 'drain') }, 'bad-signature'],
    ['stale', { now: at(t0 + 301) }, 'stale'],
    ['future', { now: at(t0 - 301) }, 'future'],
    ['missing timestamp', { timestamp: undefined }, 'missing-headers'],
    ['Slack scheme on the webhook', { signature: `v0=${'a'.repeat(64)}` }, 'malformed'],
    ['bare hex', { signature: 'a'.repeat(64) }, 'malformed'],
  ])('refuses %s', (_name, over, reason) => {
    expect(hook(over as Parameters<typeof hook>[0])).toMatchObject({ ok: false, reason });
  });

  it('refuses the earlier body-only sha256= form, naming the v1 scheme', () => {
    const old = `sha256=${createHmac('sha256', secret).update(json).digest('hex')}`;
    expect(hook({ signature: old })).toMatchObject({ ok: false, reason: 'malformed', detail: expect.stringContaining('v1=hex(HMAC-SHA256(secret, "v1:" + X-Bosun-Timestamp') });
  });
});

describe('replayKey', () => {
  it('is stable under re-spelling and differs across requests', () => {
    expect(replayKey('v0=ABC', '0100')).toBe(replayKey(' v0=abc ', 100));
    expect(replayKey('v0=abc', 100)).not.toBe(replayKey('v0=abc', 101));
    expect(replayKey('v0=abc', 100)).not.toBe(replayKey('v0=abd', 100));
    expect(replayKey('v0=abc')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps a request until it can no longer pass the freshness check', () => {
    expect(replayTtlSeconds(1000, 1000, 300)).toBe(301);
    expect(replayTtlSeconds(1000, 1300, 300)).toBe(1);
    expect(replayTtlSeconds(1000, 5000, 300)).toBe(1);
  });
});
