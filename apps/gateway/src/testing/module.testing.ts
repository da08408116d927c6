// Test-only: a gateway feature module on its own, over HTTP (supertest), with our own ports
// (stores, services, the query client, the publisher, operation control) replaced by fakes.
// Nothing here reaches NATS or Redis: touching them fails the test loudly.
import { Global, Module } from '@nestjs/common';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import type { TestingModuleBuilder } from '@nestjs/testing';
import request from 'supertest';
import type { Operation, QueryEnvelope, QueryReply } from '@bosun/contracts';
import { ConfigModule, loadConfig } from '@bosun/config';
import type { BosunConfig } from '@bosun/config';
import { createLogger } from '@bosun/logging';
import type { BosunLogger } from '@bosun/logging';
import { JetStreamPublisher, OperationControl, QueryClient } from '@bosun/messaging';
import type { Role } from '@bosun/gateway-domain';
import { BosunClientProxy, HealthRegistry, LOGGER, NATS, REDIS } from '@bosun/service-kit';
import { eventually } from '@bosun/testing';
import { configureHttp } from '../app.factory';
import { AuditLog } from '../audit/audit.log';
import type { AuditEntry } from '../audit/audit.log';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import type { Principal } from '../auth/principal';
import { TokenStore } from '../auth/token.store';
import { CoreModule } from '../core/core.module';
import { ChatIdentityStore } from '../identities/chat-identity.store';
import type { ChatIdentity } from '../identities/chat-identity.store';
import { OperationsService } from '../operations/operations.service';
import type { SubmitRequest } from '../operations/operations.service';
import { OperationMetrics } from '../system/metrics';
import { STATE_REDIS } from '../tokens';

export const INTERNAL_TOKEN = 'internal-token-for-module-tests';
/** One bearer token per role; the subject is `user:<role>`. */
export const TOKEN: Record<Role, string> = { viewer: 'tok-viewer', operator: 'tok-operator', approver: 'tok-approver', admin: 'tok-admin' };
export const bearer = (role: Role): Record<string, string> => ({ authorization: `Bearer ${TOKEN[role]}` });

/** What Nest and Jest look at on any provider value (lifecycle hooks, thenable and inspection checks). */
const INSPECTED = new Set(['then', 'constructor', 'onModuleInit', 'onApplicationBootstrap', 'onModuleDestroy', 'beforeApplicationShutdown', 'onApplicationShutdown', 'toJSON', 'asymmetricMatch', 'nodeType', '$$typeof']);

/** A stand-in for a connection the module must not use. */
export const unusable = (what: string): any => new Proxy({}, {
  get: (_t, p) => {
    if (typeof p === 'symbol' || INSPECTED.has(p)) return undefined;
    throw new Error(`${what} is not available in module tests (touched .${String(p)})`);
  },
});

export class FakeTokenStore {
  async authenticate(token: string): Promise<Principal | undefined> {
    const role = (Object.keys(TOKEN) as Role[]).find((r) => TOKEN[r] === token);
    return role ? { subject: `user:${role}`, groups: ['team'], roles: [role], tokenId: `tok_${role}` } : undefined;
  }
  create = jest.fn(async (input: { name: string; subject: string; groups: string[]; roles: Role[] }) => ({ record: { id: 'tok_new', ...input, createdAt: 't', createdBy: 'user:admin' }, token: 'bsn_new' }));
  list = jest.fn(async () => []);
  revoke = jest.fn(async (id: string) => id === 'tok_known');
}

export class FakeChatIdentities {
  readonly linked = new Map<string, ChatIdentity>();
  async get(platform: string, userId: string): Promise<ChatIdentity | undefined> { return this.linked.get(`${platform}/${userId}`); }
  link = jest.fn(async (platform: string, userId: string, id: ChatIdentity) => void this.linked.set(`${platform}/${userId}`, id));
}

export class FakeAuditLog {
  readonly entries: Omit<AuditEntry, 'id' | 'time'>[] = [];
  record = jest.fn(async (e: Omit<AuditEntry, 'id' | 'time'>) => void this.entries.push(e));
  query = jest.fn(async () => [] as AuditEntry[]);
}

/** Answers queries by subject; anything unanswered is `Unreachable`, as with no service running. */
export class FakeQueryClient {
  readonly calls: { subject: string; envelope: QueryEnvelope }[] = [];
  private readonly answers = new Map<string, (env: QueryEnvelope) => QueryReply<unknown>>();
  answer(subject: string, reply: QueryReply<unknown> | ((env: QueryEnvelope) => QueryReply<unknown>)): void {
    this.answers.set(subject, typeof reply === 'function' ? reply : () => reply);
  }
  async request<T>(subject: string, envelope: QueryEnvelope): Promise<QueryReply<T>> {
    this.calls.push({ subject, envelope });
    const a = this.answers.get(subject);
    return (a ? a(envelope) : { ok: false, error: { code: 'Unreachable', message: `no service answers ${subject}` } }) as QueryReply<T>;
  }
}

export const MODULE_TEST_ENCRYPTION_KEY = 'module-test-encryption-key-0123456789';
export const testConfig = (env: Record<string, string> = {}): BosunConfig => loadConfig('gateway', { BOSUN_ADMIN_TOKEN: 'bootstrap-admin-token-0123', BOSUN_INTERNAL_TOKEN: INTERNAL_TOKEN, BOSUN_RATE_LIMIT_PER_MINUTE: '0', BOSUN_INSTANCE_ID: 'gateway-module-test', BOSUN_ENCRYPTION_KEY: MODULE_TEST_ENCRYPTION_KEY, ...env });

/** What RuntimeModule gives a real process, minus the connections. */
@Global()
@Module({})
class TestRuntimeModule {
  static forRoot(config: BosunConfig, logger: BosunLogger, queries: FakeQueryClient): DynamicModule {
    return {
      module: TestRuntimeModule,
      imports: [ConfigModule.forRoot(config)],
      providers: [
        { provide: LOGGER, useValue: logger }, { provide: NATS, useValue: unusable('NATS') }, { provide: REDIS, useValue: unusable('Redis') },
        { provide: QueryClient, useValue: queries }, { provide: JetStreamPublisher, useValue: unusable('the JetStream publisher') }, HealthRegistry,
      ],
      exports: [LOGGER, NATS, REDIS, QueryClient, JetStreamPublisher, HealthRegistry, ConfigModule],
    };
  }
}

/**
 * OperationsService as a feature module sees it: records each submit and answers one
 * operation id; like the real one, an accepted operation is audited with it (the intake
 * leaves its 202 to that entry). moduleUnderTest wires it to the fake audit log.
 */
export class FakeOperations {
  readonly submitted: SubmitRequest[] = [];
  auditLog?: FakeAuditLog;
  constructor(private readonly id: string) {}
  submit = jest.fn(async (req: SubmitRequest) => {
    this.submitted.push(req);
    if (req.audit) this.auditLog?.entries.push({ ...req.audit, operationId: this.id, outcome: 'accepted', status: 202 });
    const operation: Operation = { id: this.id, kind: req.kind, status: 'queued', actor: req.actor, target: req.target, createdAt: 't', updatedAt: 't' };
    return { operation, created: true };
  });
}

export interface ModuleUnderTest {
  app: INestApplication;
  http: ReturnType<typeof request>;
  queries: FakeQueryClient;
  tokens: FakeTokenStore;
  identities: FakeChatIdentities;
  audit: FakeAuditLog;
  logger: BosunLogger;
  metrics: OperationMetrics;
  control: { cancel: jest.Mock };
}

/** Builds `feature` with the core, auth and audit modules around it, and serves it on an ephemeral port. */
export async function moduleUnderTest(feature: Type<unknown>, override: (b: TestingModuleBuilder) => TestingModuleBuilder = (b) => b): Promise<ModuleUnderTest> {
  const config = testConfig();
  const logger = createLogger('gateway', 'silent');
  const queries = new FakeQueryClient();
  const tokens = new FakeTokenStore();
  const identities = new FakeChatIdentities();
  const audit = new FakeAuditLog();
  const control = { cancel: jest.fn(async () => ({ outcome: 'won' })) };
  const builder = Test.createTestingModule({ imports: [TestRuntimeModule.forRoot(config, logger, queries), CoreModule.forRoot(), AuthModule, AuditModule, feature] })
    .overrideProvider(STATE_REDIS).useValue(unusable('Redis'))
    .overrideProvider(OperationControl).useValue(control)
    // The ClientProxy's queries are the fake's; commands are not sent from module tests.
    .overrideProvider(BosunClientProxy).useValue({ ask: (subject: string, env: QueryEnvelope) => queries.request(subject, env), command: unusable('the command publisher') })
    .overrideProvider(TokenStore).useValue(tokens)
    .overrideProvider(ChatIdentityStore).useValue(identities)
    .overrideProvider(AuditLog).useValue(audit);
  const ref = await override(builder).compile();
  // A feature without operations has no OperationsService at all.
  const operations: unknown = (() => { try { return ref.get(OperationsService, { strict: false }); } catch { return undefined; } })();
  if (operations instanceof FakeOperations) operations.auditLog = audit;
  const app = ref.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: false });
  configureHttp(app, config);
  await app.init();
  return { app, http: request(app.getHttpServer()), queries, tokens, identities, audit, logger, metrics: app.get(OperationMetrics), control };
}

/** The audit entry is written when the response finishes, a moment after the client has it. */
export function audited(m: ModuleUnderTest, match: Record<string, unknown>): Promise<Omit<AuditEntry, 'id' | 'time'>> {
  return eventually(() => m.audit.entries.find((e) => Object.entries(match).every(([k, v]) => JSON.stringify((e as Record<string, unknown>)[k]) === JSON.stringify(v))), `audit entry ${JSON.stringify(match)}`, 2000, 10);
}
