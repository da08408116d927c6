import { execFileSync } from 'node:child_process';
import { eventually, testCluster, uniqueName } from '@bosun/testing';
import { api, finishOperation, startStack } from '../support/stack';
import type { Stack } from '../support/stack';

jest.setTimeout(150_000);

/** Storage as a user calls it: HTTP → gateway → storage service → the PV controller and the local-path provisioner. */
describe('storage end to end (HTTP → gateway → storage → Kubernetes)', () => {
  let stack: Stack;
  let call: ReturnType<typeof api>;
  const ns = uniqueName('e2e-sto');
  const pv = uniqueName('e2e-pv');
  const cluster = testCluster();
  const kubectl = (...args: string[]): string => execFileSync(cluster.kubectl, ['--kubeconfig', cluster.kubeconfig, ...args], { encoding: 'utf8' });

  const finish = (opId: string): Promise<any> => finishOperation(call, opId, 90_000);

  beforeAll(async () => {
    stack = await startStack(['gateway', 'storage']);
    call = api(stack);
    kubectl('create', 'namespace', ns);
    await eventually(async () => ((await call('GET', '/v1/status')).body.services?.find((s: any) => s.name === 'storage')?.ready ? true : undefined), 'storage ready', 60_000, 250);
  });
  afterAll(async () => {
    await stack?.stop();
    try { kubectl('delete', 'namespace', ns, '--wait=false'); } catch { /* already gone */ }
    try { kubectl('delete', 'pv', pv, '--wait=false'); } catch { /* already gone */ }
  });

  it('GET /v1/storage/classes: the local-path class exists, and exactly one class is the default', async () => {
    const classes = (await call('GET', '/v1/storage/classes')).body.items;
    expect(classes.find((c: any) => c.name === 'local-path')).toMatchObject({ provisioner: 'bosun.dev/local-path' });
    expect(classes.filter((c: any) => c.default)).toHaveLength(1);
  });

  it('a claim too large for any volume stays Pending and the diagnosis names the capacity; a matching PV made later binds it', async () => {
    const r = await call('POST', '/v1/storage/claims', { namespace: ns, name: 'big', size: '5Gi', accessModes: ['ReadWriteOnce'], storageClassName: 'manual' });
    expect(r.status).toBe(202);
    const op = await finish(r.body.id);
    expect(op).toMatchObject({ status: 'succeeded', result: { phase: 'Pending' } });
    const small = await call('POST', '/v1/storage/volumes', { name: pv, capacity: '1Gi', accessModes: ['ReadWriteOnce'], storageClassName: 'manual', hostPath: { path: '/tmp/e2e' } });
    expect(small.status).toBe(202);
    expect((await finish(small.body.id)).status).toBe('succeeded');
    const diagnosis = (await call('GET', `/v1/storage/claims/${ns}/big/diagnosis`)).body;
    expect(diagnosis.phase).toBe('Pending');
    expect(JSON.stringify(diagnosis.candidates.find((c: any) => c.volume === pv)?.reasons)).toMatch(/capacity/i);
    const grow = await call('POST', `/v1/storage/claims/${ns}/big/expand`, { size: '1Gi' });
    expect(grow.status).toBe(422);
  });

  it('bad input is a 422 naming the field', async () => {
    const bad = await call('POST', '/v1/storage/claims', { namespace: ns, name: 'x', size: 'lots', accessModes: ['ReadWriteSometimes'] });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: any) => e.path)).toEqual(expect.arrayContaining(['size']));
  });

  it('GET /v1/storage/orphans lists a claim no pod uses', async () => {
    const orphans = (await call('GET', `/v1/storage/orphans?namespace=${ns}`)).body;
    expect(JSON.stringify(orphans)).toContain('big');
  });
});
