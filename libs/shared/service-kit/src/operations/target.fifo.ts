import type { Target } from '@bosun/contracts';
import type { Redis } from '@bosun/messaging';

const POLL_MS = 50;

/** The object an operation changes, or undefined for operations that touch no single object. */
export const targetKey = (t: Target): string | undefined =>
  t.name ? [t.cluster, t.namespace ?? '', t.kind, t.name].join('/') : undefined;

/**
 * Operations on the same object run one at a time, in the order they were accepted (the
 * command stream's sequence): two set-image operations on one Deployment never race on its
 * resourceVersion, and the later one always applies last. One Redis sorted set per object:
 * score = stream sequence, head = the operation whose turn it is. A head whose job no longer
 * exists (dropped, expired) is skipped, so a lost job never blocks the object.
 */
export class TargetFifo {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly isAlive: (operationId: string) => Promise<boolean>,
  ) {}

  /** Takes a place in line; a redelivered command keeps its first place. */
  async enter(key: string, operationId: string, sequence: number): Promise<void> {
    await this.redis.zadd(this.key(key), 'NX', String(sequence), operationId);
  }

  /** Resolves when it is this operation's turn; rejects with the signal's reason when aborted. */
  async waitTurn(key: string, operationId: string, signal: AbortSignal): Promise<void> {
    for (;;) {
      signal.throwIfAborted();
      const [head] = await this.redis.zrange(this.key(key), '0', '0');
      if (head === undefined || head === operationId) {
        // Not in line at all (an older job, or the entry expired): take a place at the end.
        if (head === undefined) await this.redis.zadd(this.key(key), 'NX', String(Date.now()), operationId);
        if (head === operationId || (await this.redis.zrange(this.key(key), '0', '0'))[0] === operationId) return;
      } else if (!(await this.isAlive(head))) {
        await this.redis.zrem(this.key(key), head);
        continue;
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  async leave(key: string, operationId: string): Promise<void> {
    await this.redis.zrem(this.key(key), operationId);
  }

  private key(k: string): string {
    return `${this.prefix}:${k}`;
  }
}
