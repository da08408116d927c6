/** Statuses worth another try: the receiver was busy or broken, not refusing us. */
export const isRetryableStatus = (status: number): boolean => status === 408 || status === 425 || status === 429 || status >= 500;

/** Exponential back-off with jitter: base, 2×base, 4×base… each scaled by 0.5–1.0. */
export const backoffDelay = (attempt: number, baseMs: number, random: () => number = Math.random): number =>
  Math.round(baseMs * 2 ** Math.max(0, attempt - 1) * (0.5 + random() / 2));

/** A receiver's `Retry-After` (seconds or an HTTP date), capped so one post cannot hold a follower forever. */
export const retryAfterMs = (header: string | null, now: number, capMs = 30_000): number | undefined => {
  if (!header) return undefined;
  const seconds = /^\d+$/.test(header.trim()) ? Number(header.trim()) * 1000 : Date.parse(header) - now;
  return Number.isFinite(seconds) ? Math.min(capMs, Math.max(0, seconds)) : undefined;
};

/** Resolves after `ms`, or at once when `signal` aborts. */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
