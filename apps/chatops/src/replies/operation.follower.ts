import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationShutdown } from '@nestjs/common';
import { isTerminal, type Operation } from '@bosun/contracts';
import type { BosunLogger } from '@bosun/logging';
import { LOGGER } from '@bosun/service-kit';
import { CHATOPS_OPTIONS } from '../tokens';
import type { ChatopsOptions } from '../chatops.options';
import { ChatGateway, type ChatUser } from '../gateway/chat-gateway.port';
import { FollowSession, type FollowStyle } from './follow.session';
import type { ReplyChannel } from './reply.channel';
import { sleep } from './retry.policy';

const MAX_RECONNECT_MS = 30_000;

/**
 * Follows an operation's event stream (as the chat user, who may read it) and posts its
 * progress and outcome to the conversation's response URL. Runs in the background; a
 * dropped stream is re-opened with back-off, and the gateway replays the current state.
 */
@Injectable()
export class OperationFollower implements OnApplicationShutdown {
  private readonly stopping = new AbortController();
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly gateway: ChatGateway,
    @Inject(CHATOPS_OPTIONS) private readonly options: ChatopsOptions,
    @Inject(LOGGER) private readonly logger: BosunLogger,
  ) {}

  /** Starts following unless the operation already ended (the reply showing it was the last word). */
  follow(user: ChatUser, shown: Operation, channel: ReplyChannel, style: FollowStyle = { replaceOriginal: false }): void {
    if (isTerminal(shown.status)) return;
    const session = new FollowSession(shown, channel, style, Date.now, this.options.progressIntervalMs);
    const run = this.run(user, shown.id, session)
      .catch((e) => this.logger.error({ err: e, operationId: shown.id }, 'following the operation failed'))
      .finally(() => {
        session.close();
        this.running.delete(run);
      });
    this.running.add(run);
  }

  /** Following operations, for tests and shutdown. */
  get active(): number {
    return this.running.size;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await Promise.allSettled([...this.running]);
  }

  private async run(user: ChatUser, operationId: string, session: FollowSession): Promise<void> {
    const signal = AbortSignal.any([this.stopping.signal, AbortSignal.timeout(this.options.followLimitMs)]);
    let backoff = this.options.reconnectBackoffMs;
    while (!signal.aborted) {
      const outcome = await this.stream(user, operationId, session, signal);
      if (outcome === 'finished' || outcome === 'refused') return;
      if (outcome === 'progressed') backoff = this.options.reconnectBackoffMs;
      await sleep(backoff, signal);
      backoff = Math.min(backoff * 2, MAX_RECONNECT_MS);
    }
    if (!this.stopping.signal.aborted) this.logger.warn({ operationId }, 'stopped following: the operation outlived the follow limit');
  }

  private async stream(user: ChatUser, operationId: string, session: FollowSession, signal: AbortSignal): Promise<'finished' | 'refused' | 'dropped' | 'progressed'> {
    const opened = await this.gateway.operationEvents(user, operationId, signal);
    if (!opened.ok) {
      const s = opened.problem.status ?? 503;
      const permanent = s >= 400 && s < 500 && s !== 408 && s !== 429;
      this.logger[permanent ? 'warn' : 'info']({ operationId, status: s, detail: opened.problem.detail }, permanent ? 'operation events refused; not following' : 'operation events unavailable; will retry');
      return permanent ? 'refused' : 'dropped';
    }
    let seen = false;
    try {
      for await (const op of opened.value) {
        seen = true;
        if (await session.offer(op)) return 'finished';
      }
    } catch (e) {
      if (!signal.aborted) this.logger.info({ operationId, err: (e as Error).message }, 'operation event stream dropped; reconnecting');
    }
    return seen ? 'progressed' : 'dropped';
  }
}
