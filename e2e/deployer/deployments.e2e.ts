import { execFileSync } from 'node:child_process';
import { eventually, testCluster, uniqueName } from '@bosun/testing';
import { api, finishOperation, startStack } from '../support/stack';
import type { Stack } from '../support/stack';

jest.setTimeout(180_000);

/** The user's view: HTTP in, operations to their terminal state, objects checked in the cluster. */
describe('deployments end to end (HTTP → gateway → JetStream → deployer → Kubernetes)', () => {
  let stack: Stack;
  let call: ReturnType<typeof api>;
  const ns = uniqueName('e2e-dep');
  const cluster = testCluster();
  const kubectl = (...args: string[]): string => execFileSync(cluster.kubectl, ['--kubeconfig', cluster.kubeconfig, ...args], { encoding: 'utf8' });
  const deploymentJson = (name: string): any => JSON.parse(kubectl('-n', ns, 'get', 'deployment', name, '-o', 'json', '--show-managed-fields'));

  const finish = (opId: string): Promise<any> => finishOperation(call, opId, 120_000);

  beforeAll(async () => {
    stack = await startStack(['gateway', 'deployer', 'provisioner', 'autoscaler', 'storage', 'dns-inspector']);
    call = api(stack);
    kubectl('create', 'namespace', ns);
    await eventually(async () => ((await fetch(`${stack.url}/readyz?services=all`)).status === 200 ? true : undefined), 'readyz with every service', 60_000, 250);
  });
  afterAll(async () => {
    await stack?.stop();
    try { kubectl('delete', 'namespace', ns, '--wait=false'); } catch { /* already gone */ }
  });

  it('deploy → succeeded, Available on kwok nodes, revision 1, applied by field manager bosun', async () => {
    const r = await call('POST', '/v1/deployments', { namespace: ns, name: 'web', image: 'nginx:1.27', replicas: 2, ports: [{ name: 'http', containerPort: 80 }], changeCause: 'first' });
    expect(r.status).toBe(202);
    const op = await finish(r.body.id);
    expect(op).toMatchObject({ status: 'succeeded', actor: { subject: 'user:admin', via: 'api' } });
    const d = deploymentJson('web');
    expect(d.status.conditions.find((c: any) => c.type === 'Available').status).toBe('True');
    expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('1');
    expect(d.metadata.managedFields.some((m: any) => m.manager === 'bosun' && m.operation === 'Apply')).toBe(true);
    const view = (await call('GET', `/v1/deployments/${ns}/web`)).body;
    expect(view).toMatchObject({ namespace: ns, name: 'web', images: ['nginx:1.27'], revision: 1, replicas: { desired: 2, ready: 2, available: 2 }, rollout: { state: 'complete' } });
  });

  it('set-image → revision 2 with its change cause; history oldest first', async () => {
    const r = await call('PUT', `/v1/deployments/${ns}/web/image`, { image: 'nginx:1.28', changeCause: 'bump to 1.28' });
    expect((await finish(r.body.id)).status).toBe('succeeded');
    const h = (await call('GET', `/v1/deployments/${ns}/web/history`)).body.items;
    expect(h.map((i: any) => i.revision)).toEqual([1, 2]);
    expect(h[1]).toMatchObject({ changeCause: 'bump to 1.28', images: ['nginx:1.28'] });
  });

  it('rollback to the previous revision brings the old image back as revision 3; unknown revision → 422', async () => {
    const bad = await call('POST', `/v1/deployments/${ns}/web/rollback`, { toRevision: 42 });
    expect(bad.status).toBe(422);
    expect(bad.body.errors?.[0]?.path).toBe('toRevision');
    const r = await call('POST', `/v1/deployments/${ns}/web/rollback`, {});
    expect((await finish(r.body.id)).status).toBe('succeeded');
    const d = deploymentJson('web');
    expect(d.spec.template.spec.containers[0].image).toBe('nginx:1.27');
    expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('3');
  });

  it('restart makes a new revision with the restartedAt annotation', async () => {
    const r = await call('POST', `/v1/deployments/${ns}/web/restart`);
    expect((await finish(r.body.id)).status).toBe('succeeded');
    const d = deploymentJson('web');
    expect(d.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toBeDefined();
    expect(Number(d.metadata.annotations['deployment.kubernetes.io/revision'])).toBe(4);
  });

  it('a crashing image fails with ProgressDeadlineExceeded and is diagnosed CrashLoopBackOff', async () => {
    const r = await call('POST', '/v1/deployments', { namespace: ns, name: 'crashy', image: 'fail.bosun.test/crash:1', replicas: 1, progressDeadlineSeconds: 10 });
    const op = await finish(r.body.id);
    expect(op).toMatchObject({ status: 'failed', error: { code: 'ProgressDeadlineExceeded' } });
    const diag = (await call('GET', `/v1/deployments/${ns}/crashy/diagnosis`)).body;
    expect(diag.healthy).toBe(false);
    expect(diag.findings.map((f: any) => f.code)).toContain('CrashLoopBackOff');
  });

  it('an unpullable image is diagnosed ImagePullBackOff', async () => {
    const r = await call('POST', '/v1/deployments', { namespace: ns, name: 'nopull', image: 'fail.bosun.test/image-pull:1', replicas: 1, progressDeadlineSeconds: 10 });
    expect((await finish(r.body.id)).status).toBe('failed');
    const diag = (await call('GET', `/v1/deployments/${ns}/nopull/diagnosis`)).body;
    expect(diag.findings.map((f: any) => f.code)).toContain('ImagePullBackOff');
  });

  it('a user without Kubernetes rights gets Forbidden with Kubernetes\' message', async () => {
    const tok = (await call('POST', '/v1/tokens', { name: 'mallory', subject: 'user:mallory', roles: ['operator'] })).body.token;
    const r = await api(stack, tok)('POST', '/v1/deployments', { namespace: ns, name: 'nope', image: 'nginx:1.27' });
    const done = r.status === 202 ? await finish(r.body.id) : { status: 'failed', error: { code: r.body.code, message: r.body.detail } };
    expect(done).toMatchObject({ status: 'failed', error: { code: 'Forbidden' } });
    expect(done.error.message).toMatch(/mallory/);
    expect(() => kubectl('-n', ns, 'get', 'deployment', 'nope')).toThrow();
  });

  it('image references resolve with the documented defaults; invalid → 422', async () => {
    expect((await call('POST', '/v1/images/resolve', { image: 'busybox' })).body).toMatchObject({ registry: 'docker.io', repository: 'library/busybox', tag: 'latest', normalized: 'docker.io/library/busybox:latest', defaultPullPolicy: 'Always' });
    expect((await call('POST', '/v1/images/resolve', { image: 'Not A Ref' })).status).toBe(422);
  });

  it('cancel while queued behind another operation on the same Deployment: cancelled, and the cluster never sees it', async () => {
    await finish((await call('POST', '/v1/deployments', { namespace: ns, name: 'queue', image: 'nginx:1.27', replicas: 3, strategy: { maxSurge: 1, maxUnavailable: 0 } })).body.id);
    kubectl('-n', ns, 'patch', 'deployment', 'queue', '--type=merge', '-p', '{"spec":{"minReadySeconds":3}}');
    const slow = (await call('POST', `/v1/deployments/${ns}/queue/restart`)).body.id;
    const queued = await call('PUT', `/v1/deployments/${ns}/queue/image`, { image: 'nginx:1.29' });
    expect(queued.status).toBe(202);
    const cancel = await call('POST', `/v1/operations/${queued.body.id}/cancel`, { reason: 'not now' });
    expect(cancel.status).toBe(200);
    expect(cancel.body).toMatchObject({ status: 'cancelled' });
    expect(cancel.body.error).toEqual({ code: 'Cancelled', message: 'cancelled by user:admin' }); // not CancelledAfterChange: it won
    expect((await finish(slow)).status).toBe('succeeded');
    await new Promise((r) => setTimeout(r, 1000));
    expect(deploymentJson('queue').spec.template.spec.containers[0].image).toBe('nginx:1.27');
    expect((await call('GET', `/v1/operations/${queued.body.id}`)).body).toMatchObject({ status: 'cancelled' });
  });

  it('delete removes the Deployment', async () => {
    const r = await call('DELETE', `/v1/deployments/${ns}/web`);
    expect((await finish(r.body.id)).status).toBe('succeeded');
    expect(() => kubectl('-n', ns, 'get', 'deployment', 'web')).toThrow();
    expect((await call('GET', `/v1/deployments/${ns}/web`)).status).toBe(404);
  });
});
