import { createHash, createHmac } from 'node:crypto';

/** Stable JSON: object keys sorted, so `{a,b}` and `{b,a}` are the same request body. */
export const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
};

/**
 * What an Idempotency-Key is bound to: the route, the cluster and the body. Kept in Redis; with
 * a key it is an HMAC, so a body's secret values (a deploy's literal env) cannot be guessed
 * back from it by hashing candidates.
 */
export const requestFingerprint = (method: string, path: string, cluster: string, body: unknown, key?: string): string =>
  (key ? createHmac('sha256', `bosun-idempotency:${key}`) : createHash('sha256')).update(`${method} ${path} ${cluster}\n${canonicalJson(body)}`).digest('hex');
