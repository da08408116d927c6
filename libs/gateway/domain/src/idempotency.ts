import { createHash } from 'node:crypto';

/** Stable JSON: object keys sorted, so `{a,b}` and `{b,a}` are the same request body. */
export const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
};

/** What an Idempotency-Key is bound to: the route, the cluster and the body. */
export const requestFingerprint = (method: string, path: string, cluster: string, body: unknown): string =>
  createHash('sha256').update(`${method} ${path} ${cluster}\n${canonicalJson(body)}`).digest('hex');
