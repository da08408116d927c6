export interface BackoffOptions {
  /** Ceiling of the first retry's delay. */
  baseMs: number;
  /** Ceiling of any delay. */
  maxMs: number;
  /** Share of the ceiling that is randomised, 0..1: the delay lies in [ceiling × (1 − jitter), ceiling]. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000, jitter: 0.5 };

/** The ceiling for a given attempt (1-based); attempt 0 means "no failure yet". */
export function backoffCeiling(attempt: number, opts: BackoffOptions = DEFAULT_BACKOFF): number {
  if (attempt <= 0) {
    return 0;
  }
  // Cap the exponent so a long outage cannot overflow to Infinity.
  return Math.min(opts.maxMs, opts.baseMs * 2 ** Math.min(attempt - 1, 30));
}

/**
 * Jittered exponential back-off. The jitter spreads reconnects of many informers (and
 * many Bosun replicas) after an apiserver restart, so they do not all relist at once.
 */
export function backoffDelay(attempt: number, opts: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const ceiling = backoffCeiling(attempt, opts);
  const jitter = Math.min(1, Math.max(0, opts.jitter));
  return Math.round(ceiling * (1 - jitter) + ceiling * jitter * random());
}
