import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../../../..');

/** NATS and Redis started by `npm test` (scripts/test.sh); fails loudly when absent. */
export function testInfra(): { natsUrl: string; redisUrl: string; stateName: string } {
  const natsUrl = process.env.NATS_URL;
  const redisUrl = process.env.REDIS_URL;
  if (!natsUrl || !redisUrl) {
    throw new Error('NATS_URL and REDIS_URL are not set: run the tests through `npm test` (it starts NATS and Redis), or start them with `bash scripts/infra.sh start test 14222 16379` and export NATS_URL=nats://127.0.0.1:14222 REDIS_URL=redis://127.0.0.1:16379');
  }
  return { natsUrl, redisUrl, stateName: process.env.BOSUN_TEST_STATE ?? 'test' };
}

/** Stops or starts the test NATS/Redis (crash-safety tests). */
export function infra(action: 'stop-nats' | 'start-nats' | 'stop-redis' | 'start-redis'): void {
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
