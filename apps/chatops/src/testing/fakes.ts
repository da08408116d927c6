import type { SlackMessage } from '@bosun/chatops-domain';
import type { BosunConfig } from '@bosun/config';
import { loadConfig } from '@bosun/config';
import type { Operation } from '@bosun/contracts';
import { createLogger } from '@bosun/logging';
import { defaultChatopsOptions, type ChatopsOptions } from '../chatops.options';
import { ChatGateway } from '../gateway/chat-gateway.port';
import type { ChatUser, GatewayCall, GatewayResult } from '../gateway/chat-gateway.port';
import { FollowStore, type StoredFollow } from '../replies/follow.store';
import type { PostOutcome } from '../replies/response-url.poster';
import type { FollowProgress, FollowRecord } from '@bosun/chatops-domain';

export const silentLogger = createLogger('chatops-test', 'silent');

export const testConfig = (env: Record<string, string> = {}): BosunConfig => loadConfig('chatops', {
  BOSUN_INTERNAL_TOKEN: 'internal-token-0123456789', BOSUN_SLACK_SIGNING_SECRET: 'slack-secret-0123456789',
  BOSUN_WEBHOOK_SECRET: 'webhook-secret-0123456789', BOSUN_CHAT_RESPONSE_URLS: 'https://hooks.slack.com,http://127.0.0.1:*', ...env,
});

export const testOptions = (overrides: Partial<ChatopsOptions> = {}): ChatopsOptions => ({
  ...defaultChatopsOptions(testConfig()), ackDeadlineMs: 200, progressIntervalMs: 0, reconnectBackoffMs: 5, postBackoffMs: 5, ...overrides,
});

export const operation = (over: Partial<Operation> = {}): Operation => ({
  id: 'op_0123456789abcdef', kind: 'deployment.deploy', status: 'queued',
  actor: { subject: 'user:alice', groups: [], via: 'chat' }, target: { cluster: 'default', namespace: 'team-a', kind: 'Deployment', name: 'web' },
  createdAt: '2026-11-21T10:00:00.000Z', updatedAt: '2026-11-21T10:00:00.000Z', ...over,
});

type Responder = (user: ChatUser, call: GatewayCall) => GatewayResult<unknown> | Promise<GatewayResult<unknown>>;

/** Our gateway port, scripted: records calls, answers with `respond`, streams `streams` one connection at a time. */
export class FakeGateway extends ChatGateway {
  readonly calls: { user: ChatUser; call: GatewayCall }[] = [];
  readonly streamOpens: string[] = [];
  /** Each entry is one connection: a refusal, or the operations it yields (then it ends). */
  streams: (GatewayResult<never> | Operation[])[] = [];

  constructor(private readonly respond: Responder = () => ({ ok: false, problem: { title: 'Not Found', status: 404 } })) {
    super();
  }

  async call<T>(user: ChatUser, call: GatewayCall): Promise<GatewayResult<T>> {
    this.calls.push({ user, call });
    return (await this.respond(user, call)) as GatewayResult<T>;
  }

  async operationEvents(_user: ChatUser, operationId: string, signal: AbortSignal): Promise<GatewayResult<AsyncIterable<Operation>>> {
    this.streamOpens.push(operationId);
    const next = this.streams.shift();
    if (next === undefined) return { ok: true, status: 200, value: hangUntil(signal) };
    if (!Array.isArray(next)) return next;
    return { ok: true, status: 200, value: (async function* () { yield* next; })() };
  }
}

async function* hangUntil(signal: AbortSignal): AsyncIterable<Operation> {
  if (signal.aborted) return;
  await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
}

/** Our poster port, recording what would have been sent. */
export class RecordingPoster {
  readonly posts: { url: string; message: SlackMessage }[] = [];
  constructor(private readonly outcome: () => PostOutcome = () => ({ ok: true, attempts: 1 })) {}
  async post(url: string, message: SlackMessage): Promise<PostOutcome> {
    this.posts.push({ url, message });
    return this.outcome();
  }
}

/**
 * Our follow-store port in memory, with the semantics the Redis one has (leases that lapse,
 * one final claim); `down` makes every call fail as a Redis that is away would. Two followers
 * given the same instance play two replicas sharing a store.
 */
export class MemoryFollowStore extends FollowStore {
  readonly follows = new Map<string, { record: FollowRecord; progress: FollowProgress }>();
  readonly leases = new Map<string, { owner: string; until: number }>();
  readonly finals = new Map<string, string>();
  down = false;

  private check(): void {
    if (this.down) throw new Error('Connection is closed.');
  }

  private holder(id: string): string | undefined {
    const l = this.leases.get(id);
    return l && l.until > Date.now() ? l.owner : undefined;
  }

  async start(id: string, record: FollowRecord, progress: FollowProgress, owner: string, leaseMs: number): Promise<boolean> {
    this.check();
    const h = this.holder(id);
    if (h && h !== owner) return false;
    this.leases.set(id, { owner, until: Date.now() + leaseMs });
    this.follows.set(id, { record, progress: { ...progress } });
    return true;
  }

  async pending(now: number, limit: number): Promise<string[]> {
    this.check();
    return [...this.follows.entries()].filter(([, f]) => f.record.expiresAt >= now).sort(([, a], [, b]) => a.record.expiresAt - b.record.expiresAt).slice(0, limit).map(([id]) => id);
  }

  async take(id: string, owner: string, leaseMs: number): Promise<StoredFollow | undefined> {
    this.check();
    if (this.holder(id)) return undefined;
    const f = this.follows.get(id);
    if (!f) return undefined;
    this.leases.set(id, { owner, until: Date.now() + leaseMs });
    return { record: f.record, progress: { ...f.progress }, finalClaimed: this.finals.has(id) };
  }

  async renew(id: string, owner: string, leaseMs: number): Promise<boolean> {
    this.check();
    const h = this.holder(id);
    if ((h && h !== owner) || (!h && !this.follows.has(id))) return false;
    this.leases.set(id, { owner, until: Date.now() + leaseMs });
    return true;
  }

  async release(id: string, owner: string): Promise<void> {
    this.check();
    if (this.leases.get(id)?.owner === owner) this.leases.delete(id);
  }

  async progressed(id: string, shown: string): Promise<void> {
    this.check();
    const f = this.follows.get(id);
    if (f) f.progress = { sent: f.progress.sent + 1, shown };
  }

  async claimFinal(id: string, owner: string): Promise<boolean> {
    this.check();
    const c = this.finals.get(id);
    if (c && c !== owner) return false;
    this.finals.set(id, owner);
    return true;
  }

  async unclaimFinal(id: string, owner: string): Promise<void> {
    this.check();
    if (this.finals.get(id) === owner) this.finals.delete(id);
  }

  async end(id: string): Promise<void> {
    this.check();
    this.follows.delete(id);
    this.leases.delete(id);
  }

  /** A crash: the holder is gone without a word, its leases lapse at once. */
  lapse(): void {
    this.leases.clear();
  }
}
