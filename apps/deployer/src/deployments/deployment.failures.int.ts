import type { Diagnosis } from '@bosun/contracts';
import { observeKubeRequests } from '@bosun/kube';
import { createLogger } from '@bosun/logging';
import { connectRedis, JobQueue } from '@bosun/messaging';
import type { OperationJobData } from '@bosun/service-kit';
import { eventually, testInfra, uniqueName } from '@bosun/testing';
import { DeployerHarness } from '../testing/deployer.harness';

// Rollouts that cannot finish and subjects that may not act: every one ends in a failed
// operation with Kubernetes' reason, and the diagnosis names what is wrong.
let h: DeployerHarness;
let ns: string;

beforeAll(async () => {
  h = await DeployerHarness.create();
  await h.start();
  ns = await h.namespace('deployer-fail');
}, 60_000);
afterAll(async () => {
  await h?.close();
}, 60_000);

const codes = (d: Diagnosis | undefined): string[] => (d?.findings ?? []).map((f) => f.code);
const diagnosisOf = async (name: string, want: string): Promise<Diagnosis> =>
  eventually(async () => {
    const reply = await h.query<Diagnosis>('diagnosis', { namespace: ns, name });
    return reply.ok && codes(reply.value).includes(want) ? reply.value : undefined;
  }, `diagnosis of ${name} with ${want}`, 30_000, 500);

describe('deployer: failing rollouts and refused subjects', () => {
  it('a crashing image fails with ProgressDeadlineExceeded and is diagnosed CrashLoopBackOff', async () => {
    const op = await h.command('deploy', { namespace: ns, name: 'crash', image: 'fail.bosun.test/crash:x', replicas: 2, progressDeadlineSeconds: 5 });
    const failed = await h.terminal(op, 90_000);
    expect(failed.type).toBe('failed');
    expect(failed.error).toEqual({ code: 'ProgressDeadlineExceeded', message: expect.stringMatching(/^ReplicaSet "crash-[a-z0-9]+" has timed out progressing\.$/) });
    expect(failed.result).toMatchObject({ deployment: { name: 'crash', rollout: { state: 'failed' } }, diagnosis: { healthy: false } });
    expect(codes((failed.result as { diagnosis: Diagnosis }).diagnosis)).toContain('ProgressDeadlineExceeded');
    const diagnosis = await diagnosisOf('crash', 'CrashLoopBackOff');
    expect(diagnosis.healthy).toBe(false);
    expect(diagnosis.findings.find((f) => f.code === 'CrashLoopBackOff')).toMatchObject({ pod: expect.stringMatching(/^crash-/), container: 'crash', hint: expect.any(String) });
  }, 120_000);

  it('an unpullable image is diagnosed ImagePullBackOff', async () => {
    const op = await h.command('deploy', { namespace: ns, name: 'pull', image: 'fail.bosun.test/image-pull:x', progressDeadlineSeconds: 5 });
    expect((await h.terminal(op, 90_000)).error?.code).toBe('ProgressDeadlineExceeded');
    const diagnosis = await diagnosisOf('pull', 'ImagePullBackOff');
    expect(diagnosis.findings.find((f) => f.code === 'ImagePullBackOff')?.message).toContain('fail.bosun.test/image-pull:x');
  }, 120_000);

  it('an image that is killed for memory is diagnosed OOMKilled', async () => {
    await h.command('deploy', { namespace: ns, name: 'oom', image: 'fail.bosun.test/oom:x', progressDeadlineSeconds: 5 });
    await diagnosisOf('oom', 'OOMKilled');
  }, 60_000);

  it('a subject without Kubernetes rights fails with Forbidden and Kubernetes\' message, at once, without retries', async () => {
    const op = await h.command('deploy', { namespace: ns, name: 'web', image: 'nginx:1.27' }, { subject: 'user:mallory', groups: [], via: 'api' });
    const failed = await h.terminal(op);
    // Refused by the apply itself (a first run reads nothing back first): the apiserver's words.
    expect(failed.error).toEqual({
      code: 'Forbidden',
      message: `deployments.apps "web" is forbidden: User "mallory" cannot patch resource "deployments" in API group "apps" in the namespace "${ns}"`,
    });
    expect(h.of(op, 'started')).toHaveLength(1);
    expect(await h.deployment(ns, 'web')).toBeUndefined();
    expect(await h.query('get', { namespace: ns, name: 'crash' }, { subject: 'user:mallory', groups: [], via: 'api' })).toEqual({
      ok: false, error: { code: 'Forbidden', message: `deployments.apps "crash" is forbidden: User "mallory" cannot get resource "deployments" in API group "apps" in the namespace "${ns}"` },
    });
  }, 30_000);

  it('a subject that RBAC allows deploys as itself (service accounts map to system:serviceaccount:…)', async () => {
    await h.admin.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'ci', namespace: ns } });
    await h.admin.create({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'ci-edit', namespace: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
      subjects: [{ kind: 'ServiceAccount', name: 'ci', namespace: ns }],
    });
    const op = await h.command('deploy', { namespace: ns, name: 'by-ci', image: 'nginx:1.27' }, { subject: `serviceaccount:${ns}:ci`, groups: [], via: 'api' });
    expect((await h.succeeded(op)).result).toMatchObject({ name: 'by-ci', revision: 1 });
    // The same subject may not touch another namespace.
    const other = await h.command('restart', { namespace: 'default', name: 'by-ci' }, { subject: `serviceaccount:${ns}:ci`, groups: [], via: 'api' });
    expect((await h.terminal(other)).error).toMatchObject({ code: 'Forbidden', message: expect.stringContaining(`User "system:serviceaccount:${ns}:ci" cannot get resource "deployments"`) });
  }, 60_000);

  it('a deploy into a namespace that does not exist fails NotFound with Kubernetes\' message in one attempt, without an apply', async () => {
    const missing = uniqueName('no-such-ns');
    const requests: string[] = [];
    // Chained to the kit's metrics observer, which stays in place.
    const previous = observeKubeRequests((method, status, seconds, path) => {
      if (path.includes(missing)) requests.push(`${method} ${path} ${status}`);
      previous?.(method, status, seconds, path);
    });
    const redis = connectRedis(testInfra().redisUrl, 'deployer-int', createLogger('test', 'silent'));
    const queue = new JobQueue<OperationJobData>(h.queueName, redis);
    try {
      const op = await h.command('deploy', { namespace: missing, name: 'web', image: 'nginx:1.27' });
      const failed = await h.terminal(op);
      expect(failed.error).toEqual({ code: 'NotFound', message: `namespaces "${missing}" not found` });
      expect(h.of(op, 'started')).toHaveLength(1);
      const job = await eventually(async () => {
        const j = await queue.queue.getJob(op);
        return j?.finishedOn ? j : undefined;
      }, `the finished job of ${op}`);
      expect(job.attemptsMade).toBe(1);
      expect(await job.getState()).toBe('failed');
      // Asked, not tried: the apiserver refuses a create into a missing namespace only after a 50 ms admission wait.
      // A first run reads only the namespace (the informers hold no Deployment of it, and no marker can exist yet).
      expect(requests).toEqual([`GET /api/v1/namespaces/${missing} 404`]);
      const startedToFailed = Date.parse(failed.at) - Date.parse(h.of(op, 'started')[0].at);
      expect(startedToFailed).toBeLessThan(500); // far below the first retry's back-off (500 ms)
    } finally {
      observeKubeRequests(previous);
      await queue.close();
      redis.disconnect();
    }
  }, 30_000);

  it('restart of a Deployment that does not exist fails NotFound; an unknown cluster fails NotFound', async () => {
    const op = await h.command('restart', { namespace: ns, name: 'ghost' });
    expect((await h.terminal(op)).error).toEqual({ code: 'NotFound', message: 'deployments.apps "ghost" not found' });
    const env = h.envelope('deployment.restart', { namespace: ns, name: 'crash' });
    await h.publish({ ...env, target: { ...env.target, cluster: 'nowhere' } });
    expect((await h.terminal(env.operationId)).error).toEqual({ code: 'NotFound', message: 'cluster "nowhere" is not registered' });
  }, 30_000);
});

describe('deployer: the overall rollout timeout', () => {
  it('a rollout that never becomes ready fails with RolloutTimeout after BOSUN_ROLLOUT_TIMEOUT_SECONDS', async () => {
    await h.stop();
    await h.start({ BOSUN_ROLLOUT_TIMEOUT_SECONDS: '5' });
    const started = Date.now();
    const op = await h.command('deploy', { namespace: ns, name: 'unready', image: 'fail.bosun.test/unready:x', progressDeadlineSeconds: 600 });
    const failed = await h.terminal(op, 30_000);
    expect(failed.error).toEqual({ code: 'RolloutTimeout', message: expect.stringMatching(/^the rollout did not finish within 5 s: Waiting for deployment "unready" rollout to finish: 0 of 1 updated replicas are available\.\.\.$/) });
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_500);
    expect(failed.result).toMatchObject({ deployment: { name: 'unready', rollout: { state: 'progressing' } } });
  }, 60_000);
});
