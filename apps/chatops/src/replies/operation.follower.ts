import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { BeforeApplicationShutdown, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { followId, newFollow, progressFingerprint, resumeDecision, type FollowProgress, type FollowRecord, type SlackMessage } from '@bosun/chatops-domain';
import { BOSUN_CONFIG } from '@bosun/config';
import type { BosunConfig } from '@bosun/config';
import { isTerminal, type Operation } from '@bosun/contracts';
import type { BosunLogger } from '@bosun/logging';
import { LOGGER } from '@bosun/service-kit';
import { CHATOPS_OPTIONS } from '../tokens';
import type { ChatopsOptions } from '../chatops.options';
import { ChatGateway, type ChatUser } from '../gateway/chat-gateway.port';
import { FollowSession, type FollowStyle } from './follow.session';
import { FollowStore } from './follow.store';
import { ReplyChannels } from './reply-channels';
import type { ReplyChannel } from './reply.channel';
import { sleep } from './retry.policy';

const MAX_RECONNECT_MS = 30_000;
/** The final claim outlives its follow, so that nobody resuming late posts a second final message. */
const CLAIM_MARGIN_MS = 10 * 60_000;
const SWEEP_BATCH = 100;

/** How following ended: the final message to post, or why there is none to post (here). */
type Ending = { final: SlackMessage } | { over: 'refused' | 'expired' } | { over: 'stopped' | 'lost' };
type Lease = 'held' | 'elsewhere' | 'memory';

interface Follow {
  id: string;
  record: FollowRecord;
  user: ChatUser;
  session: FollowSession;
  /** Aborted when the lease went to another process. */
  lost: AbortController;
  /** Stored, leased and claimed in the follow store; false when the store was away at the start (memory only). */
  durable: boolean;
  run?: Promise<void>;
}

/**
 * Follows an operation's event stream (as the chat user, who may read it) and posts its
 * progress and outcome to the conversation's response URL, in the background. A dropped
 * stream is re-opened with back-off (the gateway replays the current state first).
 *
 * Follows are kept in the follow store, so they survive chatops: each is held by one process
 * at a time under a lease it renews; a graceful stop lets go of its leases and the next
 * process resumes at once, a crash lets them lapse and whoever sweeps first resumes. The final
 * message is posted only by whoever claims it first — at most one per operation and thread.
 */
@Injectable()
export class OperationFollower implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly stopping = new AbortController();
  private readonly follows = new Map<string, Follow>();
  private readonly owner: string;
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;

  constructor(
    private readonly gateway: ChatGateway,
    private readonly store: FollowStore,
    private readonly channels: ReplyChannels,
    @Inject(CHATOPS_OPTIONS) private readonly options: ChatopsOptions,
    @Inject(BOSUN_CONFIG) config: BosunConfig,
    @Inject(LOGGER) private readonly logger: BosunLogger,
  ) {
    // Unique per process even when replicas share an instance id: a lease names the process holding it.
    this.owner = `${config.instanceId}:${randomUUID().slice(0, 8)}`;
  }

  /** Starts following unless the operation already ended (the reply showing it was the last word). */
  follow(user: ChatUser, shown: Operation, channel: ReplyChannel, style: FollowStyle = { replaceOriginal: false }): void {
    if (isTerminal(shown.status) || this.stopping.signal.aborted) return;
    const id = followId(shown.id, channel.url);
    if (this.follows.has(id)) return;
    const record = newFollow({ operationId: shown.id, user, responseUrl: channel.url, replaceOriginal: style.replaceOriginal, now: Date.now(), limitMs: this.options.followLimitMs });
    const progress = { sent: channel.used, shown: progressFingerprint(shown) };
    this.launch(id, record, progress, channel, () => this.store.start(id, record, progress, this.owner, this.options.followLeaseMs).then(
      (held): Lease => (held ? 'held' : 'elsewhere'),
      (e: Error): Lease => {
        this.logger.warn({ operationId: shown.id, err: e.message }, 'the follow store is away; following in memory only (a restart now would lose this follow)');
        return 'memory';
      },
    ));
  }

  /** Follows under way in this process, for tests and shutdown. */
  get active(): number {
    return this.follows.size;
  }

  onApplicationBootstrap(): void {
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), this.options.followSweepMs);
    this.timer.unref();
  }

  /** Renews the leases held here and resumes stored follows nobody holds (at boot, then every sweep interval). */
  sweep(): Promise<void> {
    if (!this.sweeping && !this.stopping.signal.aborted) {
      this.sweeping = this.sweepOnce()
        .catch((e: Error) => this.logger.info({ err: e.message }, 'follow sweep failed; next time'))
        .finally(() => { this.sweeping = undefined; });
    }
    return this.sweeping ?? Promise.resolve();
  }

  /** First stop: no more sweeps, streams close; a final post under way carries on. */
  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
    this.stopping.abort();
  }

  /** Then wait for each follow to hand over: its lease let go, or its final post done (before Redis disconnects). */
  async onApplicationShutdown(): Promise<void> {
    this.beforeApplicationShutdown();
    await this.sweeping;
    await Promise.allSettled([...this.follows.values()].map((f) => f.run));
  }

  private launch(id: string, record: FollowRecord, progress: FollowProgress, channel: ReplyChannel, lease: () => Promise<Lease>): void {
    const user: ChatUser = { platform: record.platform, userId: record.userId };
    const follow: Follow = {
      id, record, user, lost: new AbortController(), durable: false,
      session: new FollowSession(progress.shown, channel, { replaceOriginal: record.replaceOriginal }, Date.now, this.options.progressIntervalMs, (shown) => this.progressed(follow, shown)),
    };
    this.follows.set(id, follow);
    follow.run = this.lifecycle(follow, lease)
      .catch((e) => this.logger.error({ err: e, operationId: record.operationId }, 'following the operation failed'))
      .finally(() => {
        follow.session.close();
        this.follows.delete(id);
      });
  }

  private async lifecycle(f: Follow, lease: () => Promise<Lease>): Promise<void> {
    const held = await lease();
    if (held === 'elsewhere') return void this.logger.info({ operationId: f.record.operationId }, 'another chatops follows this thread already');
    f.durable = held === 'held';
    const ending = await this.run(f);
    if ('final' in ending) return this.deliver(f, ending.final);
    if (ending.over === 'lost') return void this.logger.warn({ operationId: f.record.operationId }, 'another chatops took this follow over; stopped here');
    if (ending.over === 'stopped') return this.handOver(f);
    if (ending.over === 'expired') this.logger.warn({ operationId: f.record.operationId }, 'stopped following: the operation outlived the follow limit');
    await this.forget(f);
  }

  private async run(f: Follow): Promise<Ending> {
    const signal = AbortSignal.any([this.stopping.signal, f.lost.signal, AbortSignal.timeout(Math.max(0, f.record.expiresAt - Date.now()))]);
    let backoff = this.options.reconnectBackoffMs;
    while (!signal.aborted) {
      const outcome = await this.stream(f, signal);
      if (typeof outcome === 'object') return outcome;
      if (outcome === 'refused') return { over: 'refused' };
      if (outcome === 'progressed') backoff = this.options.reconnectBackoffMs;
      await sleep(backoff, signal);
      backoff = Math.min(backoff * 2, MAX_RECONNECT_MS);
    }
    if (this.stopping.signal.aborted) return { over: 'stopped' };
    return f.lost.signal.aborted ? { over: 'lost' } : { over: 'expired' };
  }

  private async stream(f: Follow, signal: AbortSignal): Promise<Ending | 'refused' | 'dropped' | 'progressed'> {
    const operationId = f.record.operationId;
    const opened = await this.gateway.operationEvents(f.user, operationId, signal);
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
        const final = f.session.offer(op);
        if (final) return { final };
      }
    } catch (e) {
      if (!signal.aborted) this.logger.info({ operationId, err: (e as Error).message }, 'operation event stream dropped; reconnecting');
    }
    return seen ? 'progressed' : 'dropped';
  }

  /** Posts the final message if this process is the one to; a stop mid-post hands it on only if it surely failed. */
  private async deliver(f: Follow, message: SlackMessage): Promise<void> {
    const operationId = f.record.operationId;
    if (f.durable) {
      const claim = await this.claimFinal(f);
      if (claim === 'elsewhere') {
        this.logger.info({ operationId }, 'the final message is another chatops\' to post');
        return this.handOver(f);
      }
      if (claim === 'unknown') return this.handOver(f);
    }
    const delivered = await f.session.channel.send(message, true);
    if (!delivered && f.durable && this.stopping.signal.aborted) {
      // Refused or unreachable (not cut off: the poster lets a post under way finish): the next process may try again.
      await this.store.unclaimFinal(f.id, this.owner).catch(() => undefined);
      return this.handOver(f);
    }
    if (!delivered) this.logger.warn({ operationId }, 'the final message could not be posted; given up');
    await this.forget(f);
  }

  /** Claims the final post, waiting for a store that is away (while the follow lives and nobody stops us). */
  private async claimFinal(f: Follow): Promise<'mine' | 'elsewhere' | 'unknown'> {
    let wait = this.options.reconnectBackoffMs;
    while (!this.stopping.signal.aborted && Date.now() < f.record.expiresAt) {
      try {
        return (await this.store.claimFinal(f.id, this.owner, f.record.expiresAt + CLAIM_MARGIN_MS)) ? 'mine' : 'elsewhere';
      } catch (e) {
        this.logger.info({ operationId: f.record.operationId, err: (e as Error).message }, 'cannot claim the final message yet (follow store away); retrying');
        await sleep(wait, this.stopping.signal);
        wait = Math.min(wait * 2, MAX_RECONNECT_MS);
      }
    }
    return 'unknown';
  }

  private async sweepOnce(): Promise<void> {
    for (const f of this.follows.values()) {
      if (!f.durable || f.lost.signal.aborted) continue;
      const kept = await this.store.renew(f.id, this.owner, this.options.followLeaseMs).catch(() => true); // store away: nobody else can take it either
      if (!kept) f.lost.abort();
    }
    for (const id of await this.store.pending(Date.now(), SWEEP_BATCH)) {
      if (this.stopping.signal.aborted) return;
      if (!this.follows.has(id)) await this.resume(id);
    }
  }

  private async resume(id: string): Promise<void> {
    const stored = await this.store.take(id, this.owner, this.options.followLeaseMs);
    if (!stored) return;
    const { record, progress } = stored;
    const decision = resumeDecision(record, progress, { now: Date.now(), maxPosts: this.options.maxPostsPerResponseUrl, finalClaimed: stored.finalClaimed });
    const channel = decision.resume ? this.channels.reopen(record.responseUrl, progress.sent) : undefined;
    if (!channel) {
      this.logger.info({ operationId: record.operationId, why: decision.resume ? 'response URL no longer allowed' : decision.why }, 'stored follow not resumed; forgotten');
      return void (await this.store.end(id));
    }
    this.logger.info({ operationId: record.operationId, sent: progress.sent }, 'follow resumed');
    this.launch(id, record, progress, channel, async () => 'held');
  }

  private progressed(f: Follow, shown: string): void {
    if (f.durable) void this.store.progressed(f.id, shown).catch((e: Error) => this.logger.info({ operationId: f.record.operationId, err: e.message }, 'progress of a follow not stored'));
  }

  /** The stored follow stays; its lease is let go, so that the next process (or another replica) resumes it at once. */
  private async handOver(f: Follow): Promise<void> {
    if (f.durable) await this.store.release(f.id, this.owner).catch(() => undefined);
  }

  private async forget(f: Follow): Promise<void> {
    if (f.durable) await this.store.end(f.id).catch((e: Error) => this.logger.info({ operationId: f.record.operationId, err: e.message }, 'an ended follow could not be forgotten; it expires by itself'));
  }
}
