import { createHmac, timingSafeEqual } from 'node:crypto';
import { replayKey, replayTtlSeconds } from './replay.guard';

/** Requests whose timestamp is further than this from our clock, either way, are refused. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export type SignatureFailureReason = 'missing-headers' | 'stale' | 'future' | 'bad-signature' | 'malformed';

export type SignatureCheck =
  | {
    ok: true;
    timestamp: number;
    /** Give these to the ReplayGuard: a verified request must still be claimed once. */
    replayKey: string;
    replayTtlSeconds: number;
  }
  | { ok: false; reason: SignatureFailureReason; detail: string };

/** A header as HTTP frameworks hand it over: absent, once, or repeated. */
export type HeaderValue = string | readonly string[] | undefined | null;
export type RawBody = string | Uint8Array;
/** A Date or epoch milliseconds. */
export type Clock = Date | number;

export interface SlackSignatureInput {
  signingSecret: string;
  /** `X-Slack-Request-Timestamp`, epoch seconds. */
  timestamp: HeaderValue;
  /** `X-Slack-Signature`, `v0=<hex>`. */
  signature: HeaderValue;
  /** The body exactly as received, before any form or JSON parsing. */
  rawBody: RawBody;
  now: Clock;
  toleranceSeconds?: number;
}

export interface WebhookSignatureInput {
  secret: string;
  /** `X-Bosun-Timestamp`, epoch seconds. */
  timestamp: HeaderValue;
  /** `X-Bosun-Signature`, `v1=<hex>` over `v1:<timestamp>:<body>`. */
  signature: HeaderValue;
  rawBody: RawBody;
  now: Clock;
  toleranceSeconds?: number;
}

const TIMESTAMP = /^\d{1,12}$/;
const fail = (reason: SignatureFailureReason, detail: string): SignatureCheck => ({ ok: false, reason, detail });

const hmacHex = (secret: string, ...parts: RawBody[]): string => {
  const mac = createHmac('sha256', secret);
  for (const p of parts) mac.update(p);
  return mac.digest('hex');
};

export const signSlack = (input: { signingSecret: string; timestamp: string | number; rawBody: RawBody }): string =>
  `v0=${hmacHex(input.signingSecret, `v0:${input.timestamp}:`, input.rawBody)}`;

export const signWebhook = (input: { secret: string; timestamp: string | number; rawBody: RawBody }): string =>
  `v1=${hmacHex(input.secret, `v1:${input.timestamp}:`, input.rawBody)}`;

/** The earlier body-only form, refused now: a captured request could be replayed with a fresh timestamp. */
const OBSOLETE_WEBHOOK_PREFIX = 'sha256=';

interface Envelope {
  secret: string;
  timestamp: HeaderValue;
  signature: HeaderValue;
  now: Clock;
  toleranceSeconds?: number;
  prefix: string;
}

type Headers = { ok: true; ts: string; hex: string; seconds: number } | { ok: false; check: SignatureCheck };

const single = (v: HeaderValue): string | undefined | false => {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') return v.length === 1 ? v[0] : false;
  return v;
};

const readHeaders = (e: Envelope): Headers => {
  const ts = single(e.timestamp);
  const sig = single(e.signature);
  if (!ts || !sig) {
    if (ts === false || sig === false) return { ok: false, check: fail('malformed', 'a signature header was sent more than once') };
    return { ok: false, check: fail('missing-headers', 'the timestamp or signature header is missing') };
  }
  if (!TIMESTAMP.test(ts.trim())) return { ok: false, check: fail('malformed', 'the timestamp is not a number of seconds') };
  const hex = sig.trim().startsWith(e.prefix) ? sig.trim().slice(e.prefix.length) : '';
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
    return { ok: false, check: fail('malformed', `the signature is not ${e.prefix} followed by 64 hex digits`) };
  }
  return { ok: true, ts: ts.trim(), hex: hex.toLowerCase(), seconds: Number(ts.trim()) };
};

const checkFreshness = (seconds: number, now: Clock, tolerance: number): SignatureCheck | undefined => {
  const nowMs = typeof now === 'number' ? now : now.getTime();
  if (!Number.isFinite(nowMs)) return fail('malformed', 'the clock given to the verifier is not a valid time');
  const age = nowMs / 1000 - seconds;
  if (age > tolerance) return fail('stale', `the request was signed ${Math.round(age)} s ago (limit ${tolerance} s)`);
  if (age < -tolerance) return fail('future', `the request is dated ${Math.round(-age)} s ahead of our clock (limit ${tolerance} s)`);
  return undefined;
};

/** Lengths are checked first: timingSafeEqual throws on unequal lengths. */
const sameHex = (a: string, b: string): boolean => {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
};

const verify = (e: Envelope, expectedHex: (ts: string) => string, keyWithTimestamp: boolean): SignatureCheck => {
  // An empty secret would let anyone sign; refuse rather than compute.
  if (!e.secret) return fail('bad-signature', 'no signing secret is configured');
  const h = readHeaders(e);
  if (!h.ok) return h.check;
  const tolerance = e.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS;
  const stale = checkFreshness(h.seconds, e.now, tolerance);
  if (stale) return stale;
  if (!sameHex(expectedHex(h.ts), h.hex)) return fail('bad-signature', 'the signature does not match the body');
  const nowSeconds = (typeof e.now === 'number' ? e.now : e.now.getTime()) / 1000;
  return {
    ok: true,
    timestamp: h.seconds,
    replayKey: replayKey(h.hex, keyWithTimestamp ? h.seconds : undefined),
    replayTtlSeconds: replayTtlSeconds(h.seconds, nowSeconds, tolerance),
  };
};

/**
 * Slack's scheme (API.md → Chat): `v0=hex(HMAC-SHA256(secret, "v0:" + ts + ":" + rawBody))`,
 * timestamp within 300 s either way, compared in constant time.
 */
export const verifySlackSignature = (input: SlackSignatureInput): SignatureCheck =>
  verify(
    { ...input, secret: input.signingSecret, prefix: 'v0=' },
    (ts) => hmacHex(input.signingSecret, `v0:${ts}:`, input.rawBody),
    true,
  );

/**
 * The generic webhook (API.md → Chat): `v1=hex(HMAC-SHA256(secret, "v1:" + X-Bosun-Timestamp
 * + ":" + rawBody))`, timestamp within 300 s either way. The MAC covers the timestamp, so a
 * captured request cannot be re-dated: within the window the replay guard (keyed by
 * signature and timestamp) refuses it, after it the timestamp does. The earlier body-only
 * `sha256=` form is refused, naming the v1 scheme.
 */
export const verifyWebhookSignature = (input: WebhookSignatureInput): SignatureCheck => {
  const sent = single(input.signature);
  if (typeof sent === 'string' && sent.trim().startsWith(OBSOLETE_WEBHOOK_PREFIX)) {
    return fail('malformed', 'the body-only sha256= signature is no longer accepted: send X-Bosun-Signature: v1=hex(HMAC-SHA256(secret, "v1:" + X-Bosun-Timestamp + ":" + body))');
  }
  return verify({ ...input, prefix: 'v1=' }, (ts) => hmacHex(input.secret, `v1:${ts}:`, input.rawBody), true);
};
