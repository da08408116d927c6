import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** The repository, from the sources or from their build in dist/ (benches run from there). */
const up4 = resolve(__dirname, '../../../..');
export const REPO_ROOT = basename(up4) === 'dist' ? dirname(up4) : up4;

/** NATS and Redis started by `npm test` (scripts/test.sh); fails loudly when absent. */
export function testInfra(): { natsUrl: string; redisUrl: string; stateName: string } {
  const natsUrl = process.env.NATS_URL;
  const redisUrl = process.env.REDIS_URL;
  if (!natsUrl || !redisUrl) {
    throw new Error('NATS_URL and REDIS_URL are not set: run the tests through `npm test` (it starts NATS and Redis), or start them with `bash scripts/infra.sh start test 14222 16379` and export NATS_URL=nats://127.0.0.1:14222 REDIS_URL=redis://127.0.0.1:16379');
  }
  return { natsUrl, redisUrl, stateName: process.env.BOSUN_TEST_STATE ?? 'test' };
}

/**
 * The NATS principals of the test infrastructure (ADR 0005; scripts/infra.sh makes their
 * seeds): the gateway and each service in Bosun's account, `apps` and `queue-reader` in the
 * workloads' account. A test connects as the part it plays — the gateway to send commands
 * and read events, a service to publish that service's events.
 */
export type TestNatsPrincipal = 'gateway' | 'provisioner' | 'deployer' | 'autoscaler' | 'storage' | 'dns-inspector' | 'apps' | 'queue-reader';

/** The seed file of a principal of the running test NATS. */
export function testNatsSeedFile(principal: TestNatsPrincipal): string {
  const file = join(REPO_ROOT, '.bosun', testInfra().stateName, 'nats-auth', `${principal}.nk`);
  if (!existsSync(file)) throw new Error(`${file} is missing: the test NATS was not started by scripts/infra.sh (it makes the credentials)`);
  return file;
}

/** `{principal, seed}` for `connectNats(url, name, logger, auth)`. */
export function testNatsAuth(principal: TestNatsPrincipal): { principal: string; seed: string } {
  return { principal, seed: readFileSync(testNatsSeedFile(principal), 'utf8').trim() };
}

/** The environment a Bosun process of this app needs to be itself on the test NATS. */
export function testNatsEnv(app: string): Record<string, string> {
  if (app === 'chatops') return {};
  const env: Record<string, string> = { NATS_NKEY_SEED_FILE: testNatsSeedFile(app as TestNatsPrincipal) };
  if (app === 'autoscaler') env.BOSUN_QUEUE_READER_NKEY_SEED_FILE = testNatsSeedFile('queue-reader');
  return env;
}

/** Stops or starts the test NATS/Redis (crash-safety tests). */
export function infra(action: 'stop-nats' | 'start-nats' | 'stop-redis' | 'start-redis' | 'kill-nats' | 'kill-redis'): void {
  execFileSync('bash', [join(REPO_ROOT, 'scripts/infra.sh'), action, testInfra().stateName], { stdio: 'inherit' });
}

export interface TestEnvInfo { kubeconfig: string; apiserver: string; dns: string; kubectl: string; nodes: string[] }

/** The local Kubernetes control plane of tools/testenv; fails loudly when absent. */
export function testCluster(): TestEnvInfo {
  const file = process.env.BOSUN_TESTENV_JSON ?? join(REPO_ROOT, '.bosun/testenv.json');
  if (!existsSync(file)) throw new Error(`${file} is missing: start the local control plane with \`npm run testenv:up\``);
  return JSON.parse(readFileSync(file, 'utf8')) as TestEnvInfo;
}

/** Polls until `check` returns a value (not undefined), or fails with the last observation. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 20_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export const uniqueName = (prefix: string): string => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

/**
 * The one encryption key of every service a test starts: they share the test Redis, where
 * a stored cluster written under one key would be unreadable (and reported) under another.
 */
export const TEST_ENCRYPTION_KEY = 'test-encryption-key-0123456789abcdef';
