import { renderOperation, type SlackMessage } from '@bosun/chatops-domain';
import type { Operation } from '@bosun/contracts';
import type { ReplyChannel } from './reply.channel';
import { UpdatePlanner } from './update.planner';

export interface FollowStyle {
  /** Button presses update the message the buttons were on instead of adding new ones. */
  replaceOriginal: boolean;
}

/**
 * One operation's updates on its way to one response URL: progress is throttled and
 * coalesced (the newest state wins), the terminal state is always posted, once.
 */
export class FollowSession {
  private readonly planner: UpdatePlanner;
  private deferred?: Operation;
  private timer?: NodeJS.Timeout;
  private finished = false;

  constructor(shown: Operation, private readonly channel: ReplyChannel, private readonly style: FollowStyle, private readonly clock: () => number, intervalMs: number) {
    this.planner = new UpdatePlanner(shown, clock(), intervalMs);
  }

  get done(): boolean {
    return this.finished;
  }

  /** Resolves true once the terminal state has been handed to the channel. */
  async offer(op: Operation): Promise<boolean> {
    if (this.finished) return true;
    const decision = this.planner.decide(op, this.clock(), this.channel.progressAllowed);
    if (decision === 'final') {
      this.finished = true;
      this.cancelDeferred();
      await this.channel.send(this.message(op), true);
      return true;
    }
    if (decision === 'post') this.postNow(op);
    if (decision === 'defer') this.defer(op);
    return false;
  }

  close(): void {
    this.cancelDeferred();
  }

  private postNow(op: Operation): void {
    this.cancelDeferred();
    this.planner.posted(op, this.clock());
    void this.channel.send(this.message(op));
  }

  private defer(op: Operation): void {
    this.deferred = op;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const latest = this.deferred;
      this.deferred = undefined;
      if (latest && !this.finished && this.planner.decide(latest, this.clock(), this.channel.progressAllowed) === 'post') this.postNow(latest);
    }, Math.max(0, this.planner.dueAt() - this.clock()));
  }

  private cancelDeferred(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.deferred = undefined;
  }

  private message(op: Operation): SlackMessage {
    const m = renderOperation(op);
    return this.style.replaceOriginal ? { ...m, replace_original: true } : m;
  }
}
