import type { SlackMessage } from '@bosun/chatops-domain';
import type { PostOutcome } from './response-url.poster';

export interface Poster {
  post(url: string, message: SlackMessage): Promise<PostOutcome>;
}

/**
 * One conversation's response URL: posts go out in order, one at a time, and within the
 * platform's budget (Slack: five per response_url), keeping the last post for the final message.
 */
export class ReplyChannel {
  private queue: Promise<unknown> = Promise.resolve();

  /** `sent`: posts already spent on this URL (a follow resumed after a restart brings its count). */
  constructor(readonly host: string, readonly url: string, private readonly poster: Poster, private readonly maxPosts: number, private sent = 0) {}

  /** Posts spent on this URL so far, queued ones included. */
  get used(): number {
    return this.sent;
  }

  /** Whether a non-final post still fits, leaving room for the final one. */
  get progressAllowed(): boolean {
    return this.sent < this.maxPosts - 1;
  }

  /** Resolves false when the budget is spent or the post finally failed. */
  send(message: SlackMessage, final = false): Promise<boolean> {
    if (this.sent >= this.maxPosts || (!final && !this.progressAllowed)) return Promise.resolve(false);
    this.sent++;
    const result = this.queue.then(() => this.poster.post(this.url, message)).then((o) => o.ok);
    this.queue = result;
    return result;
  }

  /** Resolves when everything queued so far has been posted or given up. */
  async drained(): Promise<void> {
    await this.queue;
  }
}
