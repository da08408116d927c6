import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { APPS, subjectSchema } from '@bosun/contracts';
import type { AppName } from '@bosun/contracts';

const port = z.coerce.number().int().min(1).max(65535);
const csv = z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));
const secret = z.string().min(16, 'must be at least 16 characters');
const NKEY_USER_SEED = /^SU[A-Z2-7]{56}$/;

/** Environment variables Bosun reads; this is the only place that reads process.env. */
const envSchema = z.object({
  NATS_URL: z.string().regex(/^(nats|tls|wss?):\/\//, 'must be a nats:// URL').default('nats://127.0.0.1:4222'),
  /** This process's NATS user (ADR 0005): the seed itself, or a file holding it (a mounted Secret). */
  NATS_NKEY_SEED: z.string().trim().regex(NKEY_USER_SEED, 'must be a NATS user nkey seed (SU…)').optional(),
  NATS_NKEY_SEED_FILE: z.string().min(1).optional(),
  /** The autoscaler's read-only user in the workloads' account, for Queue metrics without a natsUrl. */
  BOSUN_QUEUE_READER_NKEY_SEED: z.string().trim().regex(NKEY_USER_SEED, 'must be a NATS user nkey seed (SU…)').optional(),
  BOSUN_QUEUE_READER_NKEY_SEED_FILE: z.string().min(1).optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').default('redis://127.0.0.1:6379'),
  BOSUN_KUBECONFIG: z.string().optional(),
  KUBECONFIG: z.string().optional(),
  BOSUN_GATEWAY_PORT: port.default(8080),
  BOSUN_CHATOPS_PORT: port.default(8081),
  BOSUN_GATEWAY_URL: z.string().url().optional(),
  BOSUN_ADMIN_TOKEN: secret.optional(),
  BOSUN_ADMIN_SUBJECT: subjectSchema.default('user:admin'),
  BOSUN_ADMIN_GROUPS: csv.default(['system:masters']),
  BOSUN_SLACK_SIGNING_SECRET: secret.optional(),
  BOSUN_WEBHOOK_SECRET: secret.optional(),
  BOSUN_INTERNAL_TOKEN: secret.optional(),
  BOSUN_ENCRYPTION_KEY: secret.optional(),
  BOSUN_CHAT_RESPONSE_URLS: csv.default(['https://hooks.slack.com']),
  BOSUN_CLUSTER_DNS: z.string().regex(/^[^:\s]+:\d+$/, 'must be host:port').optional(),
  BOSUN_APPROVAL_TTL_SECONDS: z.coerce.number().int().min(1).default(3600),
  BOSUN_COMMAND_MAX_DELIVER: z.coerce.number().int().min(1).max(100).default(5),
  BOSUN_ROLLOUT_TIMEOUT_SECONDS: z.coerce.number().int().min(5).default(900),
  BOSUN_BODY_LIMIT: z.string().regex(/^\d+(kb|mb)$/).default('256kb'),
  BOSUN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(600),
  BOSUN_INSTANCE_ID: z.string().optional(),
  BOSUN_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  BOSUN_COMMAND_MAX_AGE_SECONDS: z.coerce.number().int().min(60).default(24 * 3600),
  BOSUN_RECONCILE_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(30),
  BOSUN_RECONCILE_AFTER_SECONDS: z.coerce.number().int().min(1).default(120),
  // At least a day: an Idempotency-Key is kept 24 h and must never name an operation already gone.
  BOSUN_OPERATION_RETENTION_DAYS: z.coerce.number().int('must be a whole number of days').min(1, 'must be at least 1 (Idempotency-Keys are kept 24 h)').max(3650).default(30),
  BOSUN_AUDIT_RETENTION_DAYS: z.coerce.number().int('must be a whole number of days').min(1).max(3650).default(90),
  BOSUN_STORAGE_LOCAL_PATH_CLASS: z.enum(['true', 'false']).optional(),
  BOSUN_STORAGE_LEASE_NAMESPACE: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a namespace name').optional(),
  BOSUN_STORAGE_LEASE_DURATION_SECONDS: z.coerce.number().int().min(3).max(600).optional(),
  BOSUN_LOCAL_PATH_BASE: z.string().regex(/^\/[^\0]*$/, 'must be an absolute path').optional(),
  BOSUN_LOCAL_PATH_HELPER_IMAGE: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface BosunConfig {
  app: AppName;
  instanceId: string;
  natsUrl: string;
  /** The nkey seed this process authenticates to NATS with; its permissions are its app's (tools/nats-auth). */
  natsSeed?: string;
  /** The autoscaler's seed for workloads' queues on Bosun's NATS server (the APPS account). */
  queueReaderSeed?: string;
  redisUrl: string;
  /** Kubeconfig of the default cluster; undefined means in-cluster service account. */
  kubeconfig?: string;
  gatewayPort: number;
  chatopsPort: number;
  gatewayUrl: string;
  admin: { token?: string; subject: string; groups: string[] };
  slackSigningSecret?: string;
  webhookSecret?: string;
  /** Shared by chatops and gateway: chatops calls the API on behalf of linked chat users. */
  internalToken?: string;
  /** Encrypts credentials at rest (kubeconfigs of clusters added through the API). */
  encryptionKey?: string;
  chatResponseUrlAllowList: string[];
  clusterDns?: string;
  approvalTtlSeconds: number;
  commandMaxDeliver: number;
  rolloutTimeoutSeconds: number;
  bodyLimit: string;
  rateLimitPerMinute: number;
  /** A back-end service's own HTTP port (/metrics, /healthz, /readyz); 0 picks a free one. */
  metricsPort: number;
  /** A command issued longer ago than this is not run (its operation fails `Stale`); also the command stream's max age. */
  commandMaxAgeSeconds: number;
  /** The gateway asks services about operations that stayed non-terminal this long, this often. */
  reconcile: { intervalSeconds: number; afterSeconds: number };
  /**
   * How long the gateway keeps what is over: a terminal operation (from when it ended) and an
   * audit entry (from when it was written). Open operations are never trimmed.
   */
  retention: { operationSeconds: number; auditSeconds: number };
  /** The storage service's local-path provisioner; unset values keep its defaults. */
  storage: { ensureLocalPathClass?: boolean; leaseNamespace?: string; leaseDurationSeconds?: number; localPathBase?: string; helperImage?: string };
  logLevel: string;
}

/** Default HTTP port of each back-end service's /metrics, so `npm run up` can run all on one machine. */
const METRICS_PORTS: Partial<Record<AppName, number>> = { provisioner: 9101, deployer: 9102, autoscaler: 9103, storage: 9104, 'dns-inspector': 9105 };

const DAY_SECONDS = 24 * 3600;

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once at boot; throws ConfigError listing every bad variable. */
export function loadConfig(app: AppName, env: NodeJS.ProcessEnv = process.env): BosunConfig {
  if (!APPS.includes(app)) throw new ConfigError([`unknown app ${app}`]);
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const natsSeed = e.NATS_NKEY_SEED ?? readSeedFile('NATS_NKEY_SEED_FILE', e.NATS_NKEY_SEED_FILE);
  const queueReaderSeed = e.BOSUN_QUEUE_READER_NKEY_SEED ?? readSeedFile('BOSUN_QUEUE_READER_NKEY_SEED_FILE', e.BOSUN_QUEUE_READER_NKEY_SEED_FILE);
  return {
    app,
    instanceId: e.BOSUN_INSTANCE_ID ?? `${app}-${randomUUID().slice(0, 8)}`,
    natsUrl: e.NATS_URL,
    natsSeed,
    queueReaderSeed,
    redisUrl: e.REDIS_URL,
    kubeconfig: e.BOSUN_KUBECONFIG ?? e.KUBECONFIG,
    gatewayPort: e.BOSUN_GATEWAY_PORT,
    chatopsPort: e.BOSUN_CHATOPS_PORT,
    gatewayUrl: e.BOSUN_GATEWAY_URL ?? `http://127.0.0.1:${e.BOSUN_GATEWAY_PORT}`,
    admin: { token: e.BOSUN_ADMIN_TOKEN, subject: e.BOSUN_ADMIN_SUBJECT, groups: e.BOSUN_ADMIN_GROUPS },
    slackSigningSecret: e.BOSUN_SLACK_SIGNING_SECRET,
    webhookSecret: e.BOSUN_WEBHOOK_SECRET,
    internalToken: e.BOSUN_INTERNAL_TOKEN,
    encryptionKey: e.BOSUN_ENCRYPTION_KEY,
    chatResponseUrlAllowList: e.BOSUN_CHAT_RESPONSE_URLS,
    clusterDns: e.BOSUN_CLUSTER_DNS,
    approvalTtlSeconds: e.BOSUN_APPROVAL_TTL_SECONDS,
    commandMaxDeliver: e.BOSUN_COMMAND_MAX_DELIVER,
    rolloutTimeoutSeconds: e.BOSUN_ROLLOUT_TIMEOUT_SECONDS,
    bodyLimit: e.BOSUN_BODY_LIMIT,
    rateLimitPerMinute: e.BOSUN_RATE_LIMIT_PER_MINUTE,
    metricsPort: e.BOSUN_METRICS_PORT ?? METRICS_PORTS[app] ?? 0,
    commandMaxAgeSeconds: e.BOSUN_COMMAND_MAX_AGE_SECONDS,
    reconcile: { intervalSeconds: e.BOSUN_RECONCILE_INTERVAL_SECONDS, afterSeconds: e.BOSUN_RECONCILE_AFTER_SECONDS },
    retention: { operationSeconds: e.BOSUN_OPERATION_RETENTION_DAYS * DAY_SECONDS, auditSeconds: e.BOSUN_AUDIT_RETENTION_DAYS * DAY_SECONDS },
    storage: {
      ensureLocalPathClass: e.BOSUN_STORAGE_LOCAL_PATH_CLASS === undefined ? undefined : e.BOSUN_STORAGE_LOCAL_PATH_CLASS === 'true',
      leaseNamespace: e.BOSUN_STORAGE_LEASE_NAMESPACE, leaseDurationSeconds: e.BOSUN_STORAGE_LEASE_DURATION_SECONDS,
      localPathBase: e.BOSUN_LOCAL_PATH_BASE, helperImage: e.BOSUN_LOCAL_PATH_HELPER_IMAGE,
    },
    logLevel: e.LOG_LEVEL,
  };
}

/** A `…_SEED_FILE`: read once at boot; a bad file is a config error that never shows its content. */
function readSeedFile(variable: string, file: string | undefined): string | undefined {
  if (!file) return undefined;
  let seed: string;
  try {
    seed = readFileSync(file, 'utf8').trim();
  } catch (e) {
    throw new ConfigError([`${variable}: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`]);
  }
  if (!NKEY_USER_SEED.test(seed)) throw new ConfigError([`${variable}: ${file} does not hold a NATS user nkey seed (SU…)`]);
  return seed;
}
