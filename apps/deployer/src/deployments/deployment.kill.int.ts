import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { eventually, REPO_ROOT, TEST_ENCRYPTION_KEY, testCluster, testInfra, testNatsEnv } from '@bosun/testing';
import { DeployerHarness, revisionOf } from '../testing/deployer.harness';

// The hard case: the deployer process is killed (SIGKILL, no shutdown hooks) in the middle
// of a rollout. Its job keeps a lock nobody renews; once it expires, BullMQ's stalled-job
// check gives the job to another instance, which re-reads the cluster, finds its own
// operation marker on the Deployment and only finishes tracking. Takes ~30-45 s by design.
const BUILD = join(REPO_ROOT, '.bosun/deployer-int-build');
let h: DeployerHarness;
let ns: string;
let child: ChildProcess | undefined;
const logs: string[] = [];

/** Builds and starts the real `main.ts` as its own process, as `npm run up` does. */
const startProcess = async (): Promise<ChildProcess> => {
  execFileSync(process.execPath, [join(REPO_ROOT, 'node_modules/@swc/cli/bin/swc.js'), 'apps/deployer/src', 'libs', '-d', BUILD, '--copy-files', '--quiet'], { cwd: REPO_ROOT });
  const p = spawn(process.execPath, [join(BUILD, 'apps/deployer/src/main.js')], {
    env: { ...process.env, NATS_URL: testInfra().natsUrl, REDIS_URL: testInfra().redisUrl, BOSUN_KUBECONFIG: testCluster().kubeconfig, BOSUN_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, BOSUN_METRICS_PORT: '0', LOG_LEVEL: 'info', ...testNatsEnv('deployer') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  p.stdout!.on('data', (b: Buffer) => logs.push(...String(b).split('\n').filter(Boolean)));
  p.stderr!.on('data', (b: Buffer) => logs.push(...String(b).split('\n').filter(Boolean)));
  await eventually(() => (logs.some((l) => l.includes('deployer ready')) ? true : undefined), `deployer process ready:\n${logs.join('\n')}`, 30_000);
  return p;
};

beforeAll(async () => {
  h = await DeployerHarness.create();
  ns = await h.namespace('deployer-kill');
  child = await startProcess();
}, 60_000);
afterAll(async () => {
  child?.kill('SIGKILL');
  await h?.close();
}, 60_000);

it('a deployer killed mid-rollout: another instance resumes the operation after the lock expires, without a second restart', async () => {
  await h.succeeded(await h.command('deploy', { namespace: ns, name: 'web', image: 'nginx:1.27', replicas: 4, strategy: { maxSurge: 1, maxUnavailable: 0 } }));
  await h.admin.patch({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'web' }, { spec: { minReadySeconds: 2 } }, 'merge');
  const op = await h.command('restart', { namespace: ns, name: 'web' });
  await eventually(() => (h.of(op, 'progressed').some((e) => e.progress && e.progress.current < e.progress.total) ? true : undefined), 'mid-rollout', 30_000, 50);
  const exited = new Promise((r) => child!.once('exit', r));
  child!.kill('SIGKILL');
  await exited;
  child = undefined;
  expect(revisionOf(await h.deployment(ns, 'web'))).toBe(2);
  expect(h.of(op).filter((e) => e.type === 'succeeded' || e.type === 'failed')).toEqual([]);

  await h.start();
  const done = await h.succeeded(op, 90_000);
  expect(done.result).toMatchObject({ revision: 2, rollout: { state: 'complete' }, replicas: { desired: 4, updated: 4, available: 4 } });
  expect(h.of(op, 'started')).toHaveLength(2);
  expect(revisionOf(await h.deployment(ns, 'web'))).toBe(2);
  expect((await h.replicaSets(ns)).length).toBe(2);
}, 150_000);
