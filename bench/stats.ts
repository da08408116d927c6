export interface Summary { n: number; p50: number; p99: number; mean: number; perSecond: number }

/** Latency percentiles (ms) and throughput of a run that took `elapsedMs`. */
export function summarize(samples: number[], elapsedMs: number): Summary {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { n: s.length, p50: at(0.5), p99: at(0.99), mean: s.reduce((a, b) => a + b, 0) / s.length, perSecond: (s.length * 1000) / elapsedMs };
}

export const fmt = (n: number, digits = 2): string => n.toFixed(digits);
export const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;
