import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { APPS } from '@bosun/contracts';
import type { AppName } from '@bosun/contracts';
import { eventually, REPO_ROOT, TEST_ENCRYPTION_KEY, testCluster, testInfra, testNatsEnv } from '@bosun/testing';

export interface Stack {
  url: string;
  chatopsUrl: string;
  adminToken: string;
  env: Record<string, string>;
  logs: Record<string, string[]>;
  stop(app?: AppName): Promise<void>;
  /** SIGKILL, no shutdown hooks: a crash (the fault campaign's kill). Resolves once it is gone. */
  kill(app: AppName): Promise<void>;
  start(app: AppName): Promise<void>;
}

const freePort = (): Promise<number> => new Promise((resolve, reject) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number };
    s.close(() => resolve(port));
  });
  s.on('error', reject);
});

const RESULTS = join(REPO_ROOT, '.bosun/test-results');

/** Where an app's whole log goes (one file per app and process start). */
function appLogFile(app: string): string {
  mkdirSync(join(RESULTS, 'app-logs'), { recursive: true });
  return join(RESULTS, 'app-logs', `${app}-${Date.now().toString(36)}.log`);
}

/** The secrets this run made up, for the log scan at the end of npm test. */
export function recordSecrets(...secrets: (string | undefined)[]): void {
  mkdirSync(RESULTS, { recursive: true });
  appendFileSync(join(RESULTS, 'secrets.list'), secrets.filter(Boolean).map((s) => `${s}\n`).join(''), { mode: 0o600 });
}

/** Starts the built apps as processes, like `npm run up` (needs `npm run build` first). */
export async function startStack(apps: readonly AppName[] = APPS, extraEnv: Record<string, string> = {}): Promise<Stack> {
  if (!existsSync(join(REPO_ROOT, 'dist/apps/gateway/src/main.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it)');
  const infra = testInfra();
  const cluster = testCluster();
  const [gatewayPort, chatopsPort] = [await freePort(), await freePort()];
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    NATS_URL: infra.natsUrl, REDIS_URL: infra.redisUrl, BOSUN_KUBECONFIG: cluster.kubeconfig, BOSUN_CLUSTER_DNS: cluster.dns,
    BOSUN_GATEWAY_PORT: String(gatewayPort), BOSUN_CHATOPS_PORT: String(chatopsPort),
    BOSUN_ADMIN_TOKEN: `e2e-admin-${Math.random().toString(36).slice(2)}-0123456789`,
    BOSUN_INTERNAL_TOKEN: `e2e-internal-${Math.random().toString(36).slice(2)}-0123456789`,
    BOSUN_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    BOSUN_SLACK_SIGNING_SECRET: 'e2e-slack-signing-secret-0123456789', BOSUN_WEBHOOK_SECRET: 'e2e-webhook-secret-0123456789',
    // Info, as in production: every app's log goes to .bosun/test-results/app-logs, which
    // npm test scans for the run's secrets (scripts/scan-secrets.mjs).
    BOSUN_CHAT_RESPONSE_URLS: 'http://127.0.0.1:*', LOG_LEVEL: 'info',
    // Free metrics ports: a running `npm run up` (or another stack) holds the defaults 9101-9105.
    BOSUN_METRICS_PORT: '0', ...extraEnv,
  };
  recordSecrets(env.BOSUN_ADMIN_TOKEN, env.BOSUN_INTERNAL_TOKEN, env.BOSUN_SLACK_SIGNING_SECRET, env.BOSUN_WEBHOOK_SECRET, env.BOSUN_ENCRYPTION_KEY);
  const procs = new Map<AppName, ChildProcess>();
  const logs: Record<string, string[]> = {};
  const start = async (app: AppName): Promise<void> => {
    const p = spawn(process.execPath, [join(REPO_ROOT, `dist/apps/${app}/src/main.js`)], { env: { ...env, ...testNatsEnv(app) }, stdio: ['ignore', 'pipe', 'pipe'] });
    logs[app] = logs[app] ?? [];
    const file = appLogFile(app);
    const keep = (b: Buffer): void => {
      appendFileSync(file, b);
      logs[app].push(...String(b).split('\n').filter(Boolean));
      logs[app].splice(0, Math.max(0, logs[app].length - 200));
    };
    p.stdout!.on('data', keep);
    p.stderr!.on('data', keep);
    procs.set(app, p);
  };
  const stop = async (app?: AppName): Promise<void> => {
    const which = app ? [app] : [...procs.keys()];
    await Promise.all(which.map((a) => new Promise<void>((resolve) => {
      const p = procs.get(a);
      procs.delete(a);
      if (!p || p.exitCode !== null) return resolve();
      p.once('exit', () => resolve());
      p.kill('SIGTERM');
      setTimeout(() => p.kill('SIGKILL'), 5000).unref();
    })));
  };
  const kill = async (app: AppName): Promise<void> => {
    const p = procs.get(app);
    procs.delete(app);
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGKILL');
    });
  };
  for (const a of apps) await start(a);
  const url = `http://127.0.0.1:${gatewayPort}`;
  await eventually(async () => ((await fetch(`${url}/healthz`).catch(() => undefined))?.ok ? true : undefined), 'gateway /healthz', 30_000, 200)
    .catch((e) => { throw new Error(`${e.message}\n${(logs.gateway ?? []).join('\n')}`); });
  return { url, chatopsUrl: `http://127.0.0.1:${chatopsPort}`, adminToken: env.BOSUN_ADMIN_TOKEN, env, logs, stop, kill, start };
}

/** A small fetch wrapper for the API. */
export function api(stack: Stack, token = stack.adminToken) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> => {
    const res = await fetch(`${stack.url}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try { parsed = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, body: parsed, headers: res.headers };
  };
}

/** Polls an operation until it is terminal (succeeded, failed, rejected, cancelled) and returns it. */
export function finishOperation(call: ReturnType<typeof api>, opId: string, timeoutMs = 120_000): Promise<any> {
  return eventually(async () => {
    const op = (await call('GET', `/v1/operations/${opId}`)).body;
    return ['succeeded', 'failed', 'rejected', 'cancelled'].includes(op.status) ? op : undefined;
  }, `operation ${opId} to finish`, timeoutMs, 250);
}
