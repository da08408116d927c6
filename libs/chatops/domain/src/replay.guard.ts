import { createHash } from 'node:crypto';

/**
 * Port: remembers signed requests already served, so a captured request cannot be
 * sent again while its timestamp is still fresh. The app backs it with a shared store
 * (Redis `SET key 1 NX EX ttl`), because replicas must see each other's requests.
 */
export interface ReplayGuard {
  /**
   * Atomically records `key` for `ttlSeconds`. Resolves true the first time and false
   * for a replay; must not resolve true twice for one key within the TTL.
   */
  claim(key: string, ttlSeconds: number): Promise<boolean>;
}

/**
 * A fixed-length, store-safe key for one signed request. The signature is normalised
 * (case, surrounding space) and the timestamp read as a number, so a replay cannot
 * dodge the guard by re-spelling either; both were already verified by then.
 */
export const replayKey = (signature: string, timestamp?: string | number): string => {
  const sig = signature.trim().toLowerCase();
  const ts = timestamp === undefined ? '' : String(Number(String(timestamp).trim()));
  return createHash('sha256').update(`${ts}|${sig}`).digest('hex');
};

/**
 * How long to remember a request: until its timestamp can no longer pass the freshness
 * check, plus a second for clock rounding. Never less than one second.
 */
export const replayTtlSeconds = (timestampSeconds: number, nowSeconds: number, toleranceSeconds: number): number =>
  Math.max(1, Math.ceil(timestampSeconds + toleranceSeconds - nowSeconds) + 1);
