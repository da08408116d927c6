import { commandSubject } from '@bosun/contracts';
import { createLogger } from '@bosun/logging';
import { connectRedis, JobQueue } from '@bosun/messaging';
import type { Redis } from '@bosun/messaging';
import { eventually, infra, testInfra } from '@bosun/testing';
import { DeployerHarness, revisionOf } from '../testing/deployer.harness';
import type { OperationJobData } from '@bosun/service-kit';

// Duplicates, lost job records, a stopped service and restarted brokers in the middle of a
// rollout: every operation still ends in the right state, and no change is made twice.
let h: DeployerHarness;
let ns: string;
let redis: Redis;
let queue: JobQueue<OperationJobData>;

beforeAll(async () => {
  h = await DeployerHarness.create();
  await h.start();
  ns = await h.namespace('deployer-safe');
  redis = connectRedis(testInfra().redisUrl, 'deployer-int', createLogger('test', 'silent'));
  queue = new JobQueue<OperationJobData>(h.queueName, redis);
  queue.queue.on('error', () => undefined); // Redis is restarted on purpose below
}, 60_000);
afterAll(async () => {
  await queue?.close();
  redis?.disconnect();
  await h?.close();
}, 60_000);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const rsCount = async (name: string): Promise<number> => (await h.replicaSets(ns)).filter((rs) => rs.metadata.name.startsWith(`${name}-`)).length;
const revision = async (name: string): Promise<number> => revisionOf(await h.deployment(ns, name));

/** A Deployment whose rollouts take several seconds: 4 replicas, one at a time, each Ready for 2 s before it counts. */
const slowDeployment = async (name: string): Promise<void> => {
  await h.succeeded(await h.command('deploy', { namespace: ns, name, image: 'nginx:1.27', replicas: 4, strategy: { maxSurge: 1, maxUnavailable: 0 } }));
  await h.admin.patch({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name }, { spec: { minReadySeconds: 2 } }, 'merge');
  await eventually(async () => ((await h.deployment(ns, name))?.status.observedGeneration === 2 ? true : undefined), 'minReadySeconds observed');
};
const midRollout = (op: string): Promise<true> =>
  eventually(() => (h.of(op, 'progressed').some((e) => e.progress && e.progress.current < e.progress.total) ? true : undefined), `${op} mid-rollout`, 30_000, 50);
/** The job the kit makes of a command, added by hand (a duplicate, or a job re-created after its record was lost). */
const jobOf = (env: ReturnType<DeployerHarness['envelope']>): OperationJobData => ({
  operationId: env.operationId, subject: commandSubject('deployer', env.kind.replace('deployment.', '')), envelope: env, sequence: 0, acceptedAt: Date.now(),
});

describe('deployer: crash safety (real NATS, Redis and Kubernetes)', () => {
  it('one command published twice and its job enqueued twice make exactly one new revision', async () => {
    await h.succeeded(await h.command('deploy', { namespace: ns, name: 'dup', image: 'nginx:1.27', replicas: 2 }));
    const env = h.envelope('deployment.restart', { namespace: ns, name: 'dup' });
    await Promise.all([h.publish(env), h.publish(env), queue.add('restart', jobOf(env))]);
    await queue.add('restart', jobOf(env));
    await h.succeeded(env.operationId);
    await sleep(1500);
    expect(h.of(env.operationId, 'started')).toHaveLength(1);
    expect(await revision('dup')).toBe(2);
    expect(await rsCount('dup')).toBe(2);
  }, 60_000);

  it.each(['restart', 'rollback'] as const)('%s: a job re-run after its record was lost, and a command redelivered after that, change nothing more', async (action) => {
    const name = `lost-${action}`;
    await h.succeeded(await h.command('deploy', { namespace: ns, name, image: 'nginx:1.27', replicas: 2 }));
    await h.succeeded(await h.command('set-image', { namespace: ns, name, image: 'nginx:1.28' }));
    const env = h.envelope(`deployment.${action}`, { namespace: ns, name });
    await h.publish(env);
    await h.succeeded(env.operationId);
    const after = await revision(name);
    expect(after).toBe(3);
    // The job record disappears (Redis lost it, or it was cleaned up) and the job is added again.
    await (await queue.queue.getJob(env.operationId))?.remove();
    await queue.add(action, jobOf(env));
    await eventually(() => (h.of(env.operationId, 'succeeded').length === 2 ? true : undefined), 'second run succeeded');
    // And the command itself comes again past JetStream's de-duplication window (no Nats-Msg-Id).
    await (await queue.queue.getJob(env.operationId))?.remove();
    await h.publisher.event(commandSubject('deployer', action), env);
    await eventually(() => (h.of(env.operationId, 'succeeded').length === 3 ? true : undefined), 'third run succeeded');
    expect(h.of(env.operationId, 'started')).toHaveLength(3);
    expect(await revision(name)).toBe(after);
    expect(await rsCount(name)).toBe(action === 'restart' ? 3 : 2);
  }, 90_000);

  it('a service stopped mid-rollout: a new instance resumes the operation from the cluster, no extra revision', async () => {
    await slowDeployment('slow');
    const op = await h.command('restart', { namespace: ns, name: 'slow' });
    await midRollout(op);
    // The controller stamps the new revision asynchronously; wait for it rather than race it.
    await eventually(async () => ((await revision('slow')) === 2 ? true : undefined), 'revision 2 stamped');
    await h.stop();
    expect(h.of(op).filter((e) => e.type === 'succeeded' || e.type === 'failed')).toEqual([]);
    const startedBefore = h.of(op, 'started').length;
    await h.start();
    const done = await h.succeeded(op, 90_000);
    expect(done.result).toMatchObject({ revision: 2, rollout: { state: 'complete' }, replicas: { desired: 4, updated: 4, available: 4 } });
    expect(h.of(op, 'started').length).toBe(startedBefore + 1);
    expect(await revision('slow')).toBe(2);
    expect(await rsCount('slow')).toBe(2);
  }, 120_000);

  it('Redis restarted mid-rollout: the operation still succeeds, once', async () => {
    await slowDeployment('redis-cut');
    const op = await h.command('set-image', { namespace: ns, name: 'redis-cut', image: 'nginx:1.28' });
    await midRollout(op);
    infra('stop-redis');
    await sleep(2000);
    infra('start-redis');
    const done = await h.succeeded(op, 90_000);
    expect(done.result).toMatchObject({ revision: 2, images: ['nginx:1.28'], rollout: { state: 'complete' } });
    expect(await rsCount('redis-cut')).toBe(2);
  }, 120_000);

  it('NATS restarted mid-rollout: the operation still reaches its terminal state', async () => {
    await slowDeployment('nats-cut');
    const restart = await h.command('restart', { namespace: ns, name: 'nats-cut' });
    await midRollout(restart);
    infra('stop-nats');
    await sleep(2000);
    infra('start-nats');
    await eventually(async () => { await h.nc.flush(); return true; }, 'test connection back', 20_000, 250);
    const done = await h.succeeded(restart, 90_000);
    expect(done.result).toMatchObject({ revision: 2, rollout: { state: 'complete' } });
    expect(await rsCount('nats-cut')).toBe(2);
  }, 150_000);

  it('cancel: a running operation stops tracking and reports nothing more (the change stays); a waiting one never runs', async () => {
    await slowDeployment('cancelled');
    const env = h.envelope('deployment.restart', { namespace: ns, name: 'cancelled' });
    await h.publish(env);
    await midRollout(env.operationId);
    // Behind it on the same Deployment: waits its turn, so it has not claimed anything yet.
    const waiting = h.envelope('deployment.restart', { namespace: ns, name: 'cancelled' });
    await h.publish(waiting);
    await eventually(async () => ((await queue.queue.getJobState(waiting.operationId)) === 'active' ? true : undefined), 'second job waiting its turn', 15_000);
    expect(await h.cancel(waiting.operationId)).toEqual({ outcome: 'won' });
    expect(await h.cancel(env.operationId)).toMatchObject({ outcome: 'too-late', claimedBy: expect.any(String) });
    await eventually(async () => ((await queue.queue.getJobState(env.operationId)) === 'completed' ? true : undefined), 'running job ended', 15_000);
    await eventually(async () => ((await queue.queue.getJobState(waiting.operationId)) === 'completed' ? true : undefined), 'waiting job ended', 15_000);
    await sleep(500);
    expect(h.of(env.operationId).filter((e) => e.type === 'succeeded' || e.type === 'failed')).toEqual([]);
    expect(h.of(waiting.operationId)).toEqual([]);
    expect(await revision('cancelled')).toBe(2);
    const status = await h.query<{ state: string; error?: { code: string } }>('operation-status', { operationId: waiting.operationId });
    expect(status).toEqual({ ok: true, value: expect.objectContaining({ state: 'failed', error: expect.objectContaining({ code: 'Cancelled' }) }) });
  }, 90_000);
});

