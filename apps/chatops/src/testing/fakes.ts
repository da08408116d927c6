import type { SlackMessage } from '@bosun/chatops-domain';
import type { BosunConfig } from '@bosun/config';
import { loadConfig } from '@bosun/config';
import type { Operation } from '@bosun/contracts';
import { createLogger } from '@bosun/logging';
import { defaultChatopsOptions, type ChatopsOptions } from '../chatops.options';
import { ChatGateway } from '../gateway/chat-gateway.port';
import type { ChatUser, GatewayCall, GatewayResult } from '../gateway/chat-gateway.port';
import type { PostOutcome } from '../replies/response-url.poster';

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
