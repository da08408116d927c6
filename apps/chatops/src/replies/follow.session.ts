import { renderOperation, type SlackMessage } from '@bosun/chatops-domain';
import type { Operation } from '@bosun/contracts';
import type { ReplyChannel } from './reply.channel';
import { UpdatePlanner } from './update.planner';

export interface FollowStyle {
  /** Button presses update the message the buttons were on instead of adding new ones. */
  replaceOriginal: boolean;
}

/** Told after each progress post what it showed, so that a resumed follow does not repeat it. */
export type ProgressListener = (shown: string) => void;

/**
 * One operation's updates on their way to one response URL: progress is throttled and
 * coalesced (the newest state wins) and posted here; the terminal state is handed back,
 * once, for the follower to post (it must first make sure no other process does).
 */
export class FollowSession {
  private readonly planner: UpdatePlanner;
  private deferred?: Operation;
  private timer?: NodeJS.Timeout;
  private finished = false;

  constructor(
    shown: string, readonly channel: ReplyChannel, private readonly style: FollowStyle, private readonly clock: () => number,
    intervalMs: number, private readonly onProgress: ProgressListener = () => undefined,
  ) {
    this.planner = new UpdatePlanner(shown, clock(), intervalMs);
  }

  get done(): boolean {
    return this.finished;
  }

  /** The final message when `op` is the terminal state (only the first time); progress is posted as it comes. */
  offer(op: Operation): SlackMessage | undefined {
    if (this.finished) return undefined;
    const decision = this.planner.decide(op, this.clock(), this.channel.progressAllowed);
    if (decision === 'final') {
      this.finished = true;
      this.cancelDeferred();
      return this.message(op);
    }
    if (decision === 'post') this.postNow(op);
    if (decision === 'defer') this.defer(op);
    return undefined;
  }

  close(): void {
    this.cancelDeferred();
  }

  private postNow(op: Operation): void {
    this.cancelDeferred();
    const shown = this.planner.posted(op, this.clock());
    void this.channel.send(this.message(op));
    this.onProgress(shown);
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
