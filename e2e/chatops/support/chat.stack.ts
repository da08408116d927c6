import type { INestApplication } from '@nestjs/common';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { signSlack, signWebhook, type SlackMessage } from '@bosun/chatops-domain';
import { loadConfig, type BosunConfig } from '@bosun/config';
import type { Operation } from '@bosun/contracts';
import { createLogger, type BosunLogger } from '@bosun/logging';
import { createServiceApp } from '@bosun/service-kit';
import { eventually, REPO_ROOT, TEST_ENCRYPTION_KEY, testCluster, testInfra, testNatsEnv, uniqueName } from '@bosun/testing';
import type { Redis } from '@bosun/messaging';
import { createGateway } from '../../../apps/gateway/src/app.factory';
import { STATE_REDIS } from '../../../apps/gateway/src/tokens';
import { createChatops } from '../../../apps/chatops/src/app.factory';
import type { ChatopsOptions } from '../../../apps/chatops/src/chatops.options';
import { DeploymentsModule } from '../../../apps/deployer/src/deployments/deployments.module';
import { closedPort } from './slow-proxy';

export interface StackOptions {
  /** Extra environment for every app's config (e.g. BOSUN_APPROVAL_TTL_SECONDS). */
  env?: Record<string, string>;
  chatops?: Partial<ChatopsOptions>;
  /** Also run the real deployer against the local cluster (.bosun/testenv.json). */
  deployer?: boolean;
  /** Point chatops at this URL instead of the gateway (a slow proxy, a dead port). */
  gatewayUrlForChatops?: (gatewayUrl: string) => Promise<string> | string;
  /**
   * Run chatops as a process of its own (the built `dist/apps/chatops`, as `npm run up` does),
   * so that it can be killed with SIGKILL; its options are then the defaults.
   */
  chatopsProcess?: boolean;
}

export interface HttpResult<T = any> { status: number; body: T; ms: number }

const SLACK_SECRET = 'e2e-chat-slack-signing-secret-0123456789';
const WEBHOOK_SECRET = 'e2e-chat-webhook-secret-0123456789';

const logger = (app: string): BosunLogger => createLogger(app, process.env.E2E_LOG_LEVEL ?? 'silent');
const portOf = (app: INestApplication): number => (app.getHttpServer().address() as AddressInfo).port;
const nowSeconds = (): number => Math.floor(Date.now() / 1000);
/** Slack gives every invocation its own trigger id, so two identical commands in one second are not one replayed request. */
const triggerId = (): string => `${Date.now()}.${Math.floor(Math.random() * 1e9)}.${Math.random().toString(16).slice(2)}`;

/**
 * The real gateway and chatops (and optionally the deployer) in this process, on random
 * loopback ports, against the test NATS and Redis; the Slack side is played by signed
 * HTTP requests and a local response_url receiver.
 */
export class ChatStack {
  readonly adminToken = `e2e-chat-admin-${uniqueName('t')}-0123456789`;
  gatewayUrl = '';
  chatopsUrl = '';
  chatopsConfig!: BosunConfig;
  private apps: INestApplication[] = [];
  private leftovers: Redis[] = [];
  /** Chatops replicas in this process (the first serves chatopsUrl). */
  private chatops: INestApplication[] = [];
  private child?: ChildProcess;
  /** The chatops processes' log lines (pino JSON), the last 500, across restarts. */
  readonly chatopsLog: string[] = [];

  private constructor(private readonly options: StackOptions) {}

  static async start(options: StackOptions = {}): Promise<ChatStack> {
    const stack = new ChatStack(options);
    try {
      await stack.boot();
    } catch (e) {
      await stack.close();
      throw e;
    }
    return stack;
  }

  get slackSecret(): string { return SLACK_SECRET; }
  get webhookSecret(): string { return WEBHOOK_SECRET; }

  private env(extra: Record<string, string> = {}): Record<string, string> {
    const infra = testInfra();
    return {
      NATS_URL: infra.natsUrl, REDIS_URL: infra.redisUrl, BOSUN_ADMIN_TOKEN: this.adminToken,
      BOSUN_INTERNAL_TOKEN: `e2e-chat-internal-${this.adminToken.slice(-20)}`, BOSUN_SLACK_SIGNING_SECRET: SLACK_SECRET,
      BOSUN_WEBHOOK_SECRET: WEBHOOK_SECRET, BOSUN_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, BOSUN_CHAT_RESPONSE_URLS: 'https://hooks.slack.com,http://127.0.0.1:*',
      ...(this.options.deployer ? { BOSUN_KUBECONFIG: testCluster().kubeconfig, BOSUN_ROLLOUT_TIMEOUT_SECONDS: '150' } : {}),
      ...this.options.env, ...extra,
    };
  }

  private async boot(): Promise<void> {
    const gateway = await createGateway(loadConfig('gateway', this.env(testNatsEnv('gateway'))), logger('gateway'));
    this.apps.push(gateway);
    // The gateway does not close its state connection on shutdown (reported); do it for it.
    this.leftovers.push(gateway.get<Redis>(STATE_REDIS));
    await gateway.listen(0, '127.0.0.1');
    this.gatewayUrl = `http://127.0.0.1:${portOf(gateway)}`;
    const target = this.options.gatewayUrlForChatops ? await this.options.gatewayUrlForChatops(this.gatewayUrl) : this.gatewayUrl;
    this.chatopsConfig = loadConfig('chatops', this.env({ BOSUN_GATEWAY_URL: target }));
    if (this.options.chatopsProcess) await this.startChatopsProcess();
    else this.chatopsUrl = await this.addChatops();
    if (this.options.deployer) {
      const config = loadConfig('deployer', this.env(testNatsEnv('deployer')));
      const deployer = await createServiceApp(config, logger('deployer'), [DeploymentsModule]);
      await deployer.init();
      this.apps.push(deployer);
    }
  }

  /** One more chatops replica in this process, on the same gateway and Redis; its URL. */
  async addChatops(): Promise<string> {
    const chatops = await createChatops(this.chatopsConfig, logger('chatops'), { progressIntervalMs: 0, postBackoffMs: 50, ...this.options.chatops });
    this.chatops.push(chatops);
    await chatops.listen(0, '127.0.0.1');
    return `http://127.0.0.1:${portOf(chatops)}`;
  }

  /** Stops a chatops replica in this process as a SIGTERM would (its shutdown hooks run). */
  async stopChatops(replica = 0): Promise<void> {
    const [app] = this.chatops.splice(replica, 1);
    await app?.close();
  }

  /** A graceful restart of the (first) chatops replica: stopped, then a new one in its place; chatopsUrl moves. */
  async restartChatops(): Promise<void> {
    await this.stopChatops(0);
    const url = await this.addChatops();
    this.chatops.unshift(this.chatops.pop()!);
    this.chatopsUrl = url;
  }

  /** The chatops process (`chatopsProcess`), started on a free port; resolves once it answers /healthz. */
  async startChatopsProcess(): Promise<void> {
    const main = join(REPO_ROOT, 'dist/apps/chatops/src/main.js');
    if (!existsSync(main)) throw new Error('dist/ is missing: run `npm run build` (npm test does it)');
    const port = await closedPort();
    const env = { ...process.env, ...this.env({ BOSUN_GATEWAY_URL: this.chatopsConfig.gatewayUrl, BOSUN_CHATOPS_PORT: String(port), LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'info' }) };
    const child = spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (b: Buffer): void => {
      this.chatopsLog.push(...String(b).split('\n').filter(Boolean));
      this.chatopsLog.splice(0, Math.max(0, this.chatopsLog.length - 500));
      if (process.env.E2E_LOG_LEVEL) process.stderr.write(b);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.child = child;
    this.chatopsUrl = `http://127.0.0.1:${port}`;
    await eventually(async () => ((await fetch(`${this.chatopsUrl}/healthz`).catch(() => undefined))?.status === 200 ? true : undefined), 'the chatops process to answer /healthz', 20_000, 100)
      .catch((e: Error) => { throw new Error(`${e.message}\n${this.chatopsLog.join('\n')}`); });
  }

  /** SIGKILL for the chatops process: no shutdown hook runs, its leases are left to lapse. */
  async killChatopsProcess(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }

  async close(): Promise<void> {
    await this.killChatopsProcess('SIGTERM');
    for (const app of this.chatops.reverse()) await app.close().catch(() => undefined);
    this.chatops = [];
    for (const app of this.apps.reverse()) await app.close().catch(() => undefined);
    for (const redis of this.leftovers) redis.disconnect();
    this.apps = [];
    this.leftovers = [];
  }

  /** The public API, as the admin unless another token is given. */
  async api<T = any>(method: string, path: string, body?: unknown, token = this.adminToken): Promise<HttpResult<T>> {
    return request(`${this.gatewayUrl}${path}`, {
      method, body: body === undefined ? undefined : JSON.stringify(body),
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    });
  }

  /** Links a chat user to a subject (admin), as an operator of a team would. */
  async link(platform: 'slack' | 'webhook', userId: string, identity: { subject: string; groups?: string[]; roles?: string[] }): Promise<void> {
    const r = await this.api('PUT', `/v1/chat-identities/${platform}/${userId}`, identity);
    if (r.status !== 200) throw new Error(`linking ${platform}/${userId} failed: ${r.status} ${JSON.stringify(r.body)}`);
  }

  /** Operations whose target is this Deployment (the store is shared with other tests). */
  async operationsOn(namespace: string, name: string): Promise<Operation[]> {
    const r = await this.api<{ items: Operation[] }>('GET', '/v1/operations?limit=500');
    return r.body.items.filter((o) => o.target.namespace === namespace && o.target.name === name);
  }

  /** POST /slack/commands exactly as Slack does: form body, signed over the raw bytes. */
  slash(userId: string, text: string, opts: SignOptions & { responseUrl?: string; triggerId?: string } = {}): Promise<HttpResult<SlackMessage>> {
    const form = new URLSearchParams({
      token: 'deprecated-verification-token', team_id: 'T0E2E', team_domain: 'bosun-e2e', channel_id: 'C0E2E', channel_name: 'ops',
      user_id: userId, user_name: userId.toLowerCase(), command: '/bosun', text, api_app_id: 'A0E2E', trigger_id: opts.triggerId ?? triggerId(),
      ...(opts.responseUrl ? { response_url: opts.responseUrl } : {}),
    });
    return this.slackPost('/slack/commands', form.toString(), opts);
  }

  /** POST /slack/interactions with a block_actions payload for one button press. */
  press(userId: string, actionId: string, value: string, responseUrl: string, opts: SignOptions = {}): Promise<HttpResult<string>> {
    const payload = {
      type: 'block_actions', user: { id: userId, username: userId.toLowerCase(), team_id: 'T0E2E' }, team: { id: 'T0E2E' },
      channel: { id: 'C0E2E' }, container: { type: 'message', message_ts: '1.2', channel_id: 'C0E2E' }, trigger_id: triggerId(),
      response_url: responseUrl, actions: [{ type: 'button', action_id: actionId, block_id: 'b', value, action_ts: '1.2' }],
    };
    return this.slackPost('/slack/interactions', new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), opts);
  }

  /** A signed Slack request; `tamper` changes the body after signing. */
  slackPost<T = any>(path: string, body: string, opts: SignOptions = {}): Promise<HttpResult<T>> {
    const ts = opts.timestamp ?? nowSeconds();
    const signature = opts.signature ?? signSlack({ signingSecret: opts.secret ?? SLACK_SECRET, timestamp: ts, rawBody: body });
    return request(`${this.chatopsUrl}${path}`, {
      method: 'POST', body: opts.tamper ? opts.tamper(body) : body,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signature },
    });
  }

  /** POST /webhook: JSON signed with the webhook secret. */
  webhook(message: Record<string, unknown>, opts: SignOptions = {}): Promise<HttpResult<SlackMessage>> {
    const body = JSON.stringify(message);
    const ts = opts.timestamp ?? nowSeconds();
    const signature = opts.signature ?? signWebhook({ secret: opts.secret ?? WEBHOOK_SECRET, timestamp: ts, rawBody: body });
    return request(`${this.chatopsUrl}/webhook`, {
      method: 'POST', body: opts.tamper ? opts.tamper(body) : body,
      headers: { 'content-type': 'application/json', 'x-bosun-timestamp': String(ts), 'x-bosun-signature': signature },
    });
  }
}

export interface SignOptions {
  secret?: string;
  timestamp?: number;
  signature?: string;
  tamper?: (body: string) => string;
}

async function request<T>(url: string, init: RequestInit): Promise<HttpResult<T>> {
  const started = Date.now();
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown = text;
  try { body = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, body: body as T, ms: Date.now() - started };
}

/** A Slack-like user id (upper-case letters and digits), unique per test. */
export const slackUser = (prefix = 'U'): string => `${prefix}${uniqueName('x').replace(/[^a-z0-9]/g, '').toUpperCase()}`.slice(0, 20);
