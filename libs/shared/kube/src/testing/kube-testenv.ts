import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, '../../../../..');
const FIX = 'start it with `npm run testenv:up` (tools/testenv), then rerun';

export interface Testenv {
  kubeconfig: string;
  apiserver: string;
  kubectl: string;
  [k: string]: unknown;
}

function readTestenv(): Testenv {
  const file = path.join(repoRoot, '.bosun', 'testenv.json');
  if (!fs.existsSync(file)) {
    throw new Error(`no local Kubernetes control plane: ${file} is missing; ${FIX}`);
  }
  const env = JSON.parse(fs.readFileSync(file, 'utf8')) as Testenv;
  env.kubeconfig = path.resolve(repoRoot, env.kubeconfig);
  return env;
}

/**
 * The running test control plane, or a loud failure naming the command that starts it.
 * Waits up to `waitMs` for `/readyz` so a just-started cluster is not a failure.
 */
export async function requireTestenv(waitMs = 30_000): Promise<Testenv> {
  const env = readTestenv();
  const deadline = Date.now() + waitMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      await kubectl(env, ['get', '--raw', '/readyz']);
      return env;
    } catch (err) {
      last = (err as Error).message;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  throw new Error(`the test apiserver ${env.apiserver} is not ready (${last.trim()}); ${FIX}`);
}

/** Runs the testenv's kubectl against its admin kubeconfig; resolves with stdout. */
export async function kubectl(env: Testenv, args: string[]): Promise<string> {
  const { stdout } = await run(env.kubectl, ['--kubeconfig', env.kubeconfig, ...args], { timeout: 60_000 });
  return stdout;
}

/** A namespace name unique to one test file and run. */
export function uniqueNamespace(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) {
        return value;
      }
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
