import type { BosunLogger } from '@bosun/logging';
import type { Redis } from '@bosun/messaging';

export interface PeriodicRoundOptions {
  /** Names the round in its log line when it fails. */
  name: string;
  intervalMs: number;
  run: () => Promise<unknown>;
  logger: BosunLogger;
  /**
   * One replica per round: whoever sets this key (NX) runs it. The key is held until it
   * expires (90 % of the interval), not released, so the other replicas skip the round.
   */
  lock?: { redis: Redis; key: string; holder: string };
}

/**
 * The gateway's background rounds (outbox, reconciler, retention, approval expiry): every
 * `intervalMs`, never two at once in one process, a failure logged and retried next round,
 * the timer unref'd so it never holds the process up.
 */
export class PeriodicRound {
  private timer?: NodeJS.Timeout;
  private busy = false;

  constructor(private readonly opts: PeriodicRoundOptions) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.opts.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const { lock } = this.opts;
      const ours = !lock || (await lock.redis.set(lock.key, lock.holder, 'PX', Math.max(500, Math.floor(this.opts.intervalMs * 0.9)), 'NX'));
      if (ours) await this.opts.run();
    } catch (e) {
      this.opts.logger.warn({ err: e }, `${this.opts.name} round failed; the next round retries`);
    } finally {
      this.busy = false;
    }
  }
}
