import { progressFingerprint } from '@bosun/chatops-domain';
import { isTerminal, type Operation } from '@bosun/contracts';

export type UpdateDecision = 'final' | 'post' | 'defer' | 'skip';

/**
 * Which operation updates become chat messages: every terminal state; a change of status
 * or progress at most once per interval while the post budget lasts. Pure, given the clock.
 * It starts from what the thread was last shown (the ack, or a stored follow's last post).
 */
export class UpdatePlanner {
  private lastPostAt: number;

  constructor(private shown: string, now: number, private readonly intervalMs: number) {
    this.lastPostAt = now;
  }

  decide(op: Operation, now: number, progressAllowed: boolean): UpdateDecision {
    if (isTerminal(op.status)) return 'final';
    if (progressFingerprint(op) === this.shown || !progressAllowed) return 'skip';
    return now - this.lastPostAt < this.intervalMs ? 'defer' : 'post';
  }

  /** When a deferred update may go out. */
  dueAt(): number {
    return this.lastPostAt + this.intervalMs;
  }

  /** Records a post; returns what it showed (for the stored follow). */
  posted(op: Operation, now: number): string {
    this.shown = progressFingerprint(op);
    this.lastPostAt = now;
    return this.shown;
  }
}
