import { Inject, Injectable } from '@nestjs/common';
import type { BeforeApplicationShutdown } from '@nestjs/common';
import type { SlackMessage } from '@bosun/chatops-domain';
import type { BosunLogger } from '@bosun/logging';
import { LOGGER } from '@bosun/service-kit';
import { CHATOPS_OPTIONS } from '../tokens';
import type { ChatopsOptions } from '../chatops.options';
import { backoffDelay, isRetryableStatus, retryAfterMs, sleep } from './retry.policy';

export type PostOutcome = { ok: true; attempts: number } | { ok: false; attempts: number; detail: string };

type Attempt = { ok: true } | { ok: false; retry: boolean; detail: string; waitMs?: number };

/**
 * Posts a message to an already allow-listed response URL, retrying politely (back-off,
 * `Retry-After`) on network errors, 429 and 5xx. Redirects are not followed: the URL that
 * was checked is the only one ever fetched.
 *
 * On shutdown no new attempt starts, but one under way is not cut off (its own timeout
 * bounds it): a post aborted mid-flight may or may not have arrived, and the follower must
 * know which to keep its promise of at most one final message per thread.
 */
@Injectable()
export class ResponseUrlPoster implements BeforeApplicationShutdown {
  private readonly stopping = new AbortController();

  constructor(@Inject(CHATOPS_OPTIONS) private readonly options: ChatopsOptions, @Inject(LOGGER) private readonly logger: BosunLogger) {}

  async post(url: string, message: SlackMessage): Promise<PostOutcome> {
    const host = new URL(url).host;
    let last = '';
    for (let attempt = 1; attempt <= this.options.postAttempts; attempt++) {
      const r = await this.attempt(url, message);
      if (r.ok) {
        this.logger.debug({ host, attempt }, 'response posted');
        return { ok: true, attempts: attempt };
      }
      last = r.detail;
      if (!r.retry || attempt === this.options.postAttempts || this.stopping.signal.aborted) break;
      const wait = r.waitMs ?? backoffDelay(attempt, this.options.postBackoffMs);
      this.logger.info({ host, attempt, waitMs: wait, detail: r.detail }, 'response post failed; retrying');
      await sleep(wait, this.stopping.signal);
    }
    this.logger.warn({ host, detail: last }, 'response post given up');
    return { ok: false, attempts: this.options.postAttempts, detail: last };
  }

  /** Before anything else stops: the follower waits for the posts under way, then hands unfinished ones on. */
  beforeApplicationShutdown(): void {
    this.stopping.abort();
  }

  private async attempt(url: string, message: SlackMessage): Promise<Attempt> {
    try {
      const res = await fetch(url, {
        method: 'POST', headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: JSON.stringify(message),
        redirect: 'manual', signal: AbortSignal.timeout(this.options.postTimeoutMs),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.status >= 200 && res.status < 300) return { ok: true };
      return { ok: false, retry: isRetryableStatus(res.status), detail: `HTTP ${res.status}`, waitMs: retryAfterMs(res.headers.get('retry-after'), Date.now()) };
    } catch (e) {
      const err = e as { name?: string; message?: string; cause?: { code?: string } };
      return { ok: false, retry: true, detail: err.name === 'TimeoutError' ? 'timed out' : (err.cause?.code ?? err.message ?? String(e)) };
    }
  }
}
