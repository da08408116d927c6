import { isTerminal, type Operation } from '@bosun/contracts';

export type UpdateDecision = 'final' | 'post' | 'defer' | 'skip';

const fingerprint = (op: Operation): string =>
  `${op.status}|${op.progress ? `${op.progress.current}/${op.progress.total} ${op.progress.message}` : ''}`;

/**
 * Which operation updates become chat messages: every terminal state; a change of status
 * or progress at most once per interval while the post budget lasts. Pure, given the clock.
 */
export class UpdatePlanner {
  private shown: string;
  private lastPostAt: number;

  constructor(alreadyShown: Operation, now: number, private readonly intervalMs: number) {
    this.shown = fingerprint(alreadyShown);
    this.lastPostAt = now;
  }

  decide(op: Operation, now: number, progressAllowed: boolean): UpdateDecision {
    if (isTerminal(op.status)) return 'final';
    if (fingerprint(op) === this.shown || !progressAllowed) return 'skip';
    return now - this.lastPostAt < this.intervalMs ? 'defer' : 'post';
  }

  /** When a deferred update may go out. */
  dueAt(): number {
    return this.lastPostAt + this.intervalMs;
  }

  posted(op: Operation, now: number): void {
    this.shown = fingerprint(op);
    this.lastPostAt = now;
  }
}
