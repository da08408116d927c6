import { Injectable } from '@nestjs/common';
import { parseExternalValue } from '@bosun/autoscaler-domain';
import type { Observation } from '@bosun/autoscaler-domain';

/** How long an External metric's endpoint may take: a slow one must not hold the tick. */
export const EXTERNAL_TIMEOUT_MS = 3000;

/** An External metric: `GET url` → a JSON number or `{"value": n}`; anything else is a failed metric with the reason. */
@Injectable()
export class ExternalMetrics {
  async observe(url: string): Promise<Observation> {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(EXTERNAL_TIMEOUT_MS), headers: { accept: 'application/json' } });
      if (!res.ok) return { error: `GET ${url} answered ${res.status} ${res.statusText}` };
      const parsed = parseExternalValue(await res.json());
      return parsed.ok ? { value: parsed.value } : { error: parsed.errors[0].message };
    } catch (e) {
      const err = e as Error;
      return { error: err.name === 'TimeoutError' ? `GET ${url} did not answer within ${EXTERNAL_TIMEOUT_MS} ms` : `GET ${url} failed: ${err.message}` };
    }
  }
}
