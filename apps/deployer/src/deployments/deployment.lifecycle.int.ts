import type { DeploymentView, HistoryItem, ResolvedImage } from '@bosun/contracts';
import { eventually } from '@bosun/testing';
import { DeployerHarness, revisionOf } from '../testing/deployer.harness';
import { OPERATION_ID_ANNOTATION } from '@bosun/kube';

// The deployer's whole life cycle of one Deployment, driven as the gateway drives it.
let h: DeployerHarness;
let ns: string;
const name = 'web';

beforeAll(async () => {
  h = await DeployerHarness.create();
  await h.start();
  ns = await h.namespace('deployer-life');
}, 60_000);
afterAll(async () => {
  await h?.close();
}, 60_000);

const images = (d: Awaited<ReturnType<DeployerHarness['deployment']>>): string[] => d?.spec.template.spec.containers.map((c: { image: string }) => c.image);

describe('deployer: deployment life cycle (real NATS, Redis and Kubernetes)', () => {
  it('deploy: applies as field manager bosun, tracks the rollout and succeeds with the view at revision 1', async () => {
    const op = await h.command('deploy', { namespace: ns, name, image: 'nginx:1.27', replicas: 3, ports: [{ name: 'http', containerPort: 80 }], changeCause: 'first' });
    const done = await h.succeeded(op);
    expect(done.result).toMatchObject({ namespace: ns, name, images: ['nginx:1.27'], revision: 1, paused: false, rollout: { state: 'complete' }, replicas: { desired: 3, updated: 3, available: 3 } });
    expect(h.of(op, 'started')).toHaveLength(1);
    const d = await h.deployment(ns, name);
    expect(d?.status.conditions.find((c: { type: string }) => c.type === 'Available')?.status).toBe('True');
    expect(revisionOf(d)).toBe(1);
    expect(d?.metadata.managedFields.map((m: { manager: string; operation: string }) => `${m.manager}/${m.operation}`)).toContain('bosun/Apply');
    expect(d?.metadata.annotations[OPERATION_ID_ANNOTATION]).toBe(op);
    expect(d?.spec.template.metadata.annotations?.[OPERATION_ID_ANNOTATION]).toBeUndefined();
  }, 90_000);

  it('deploy again with the same request: no new revision', async () => {
    const op = await h.command('deploy', { namespace: ns, name, image: 'nginx:1.27', replicas: 3, ports: [{ name: 'http', containerPort: 80 }], changeCause: 'first' });
    expect((await h.succeeded(op)).result).toMatchObject({ revision: 1 });
    expect(await h.replicaSets(ns)).toHaveLength(1);
  }, 60_000);

  it('set-image: revision 2 with its change cause, progress events on the way', async () => {
    const op = await h.command('set-image', { namespace: ns, name, image: 'nginx:1.28', changeCause: 'bump to 1.28' });
    const done = await h.succeeded(op);
    expect(done.result).toMatchObject({ images: ['nginx:1.28'], revision: 2, rollout: { state: 'complete' } });
    const progress = h.of(op, 'progressed').map((e) => e.progress);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress).toContainEqual({ current: expect.any(Number), total: 3, message: expect.stringContaining('rollout to finish') });
    expect(progress.every((p) => p && p.current <= p.total)).toBe(true);
    const history = await h.query<{ items: HistoryItem[] }>('history', { namespace: ns, name });
    expect(history).toEqual({ ok: true, value: { items: [
      { revision: 1, changeCause: 'first', images: ['nginx:1.27'], createdAt: expect.any(String) },
      { revision: 2, changeCause: 'bump to 1.28', images: ['nginx:1.28'], createdAt: expect.any(String) },
    ] } });
  }, 60_000);

  it('set-image without a change cause records what changed', async () => {
    const op = await h.command('set-image', { namespace: ns, name, image: 'nginx:1.29' });
    expect((await h.succeeded(op)).result).toMatchObject({ revision: 3 });
    const history = await h.query<{ items: HistoryItem[] }>('history', { namespace: ns, name });
    expect(history.ok && history.value.items.at(-1)).toMatchObject({ revision: 3, changeCause: 'set image web=nginx:1.29' });
  }, 60_000);

  it('rollback without toRevision: the previous template comes back as a new, higher revision', async () => {
    const op = await h.command('rollback', { namespace: ns, name });
    const done = await h.succeeded(op);
    expect(done.result).toMatchObject({ images: ['nginx:1.28'], revision: 4, rollback: { toRevision: 2, noop: false } });
    expect(images(await h.deployment(ns, name))).toEqual(['nginx:1.28']);
    const history = await h.query<{ items: HistoryItem[] }>('history', { namespace: ns, name });
    expect(history.ok && history.value.items.map((i) => i.revision)).toEqual([1, 3, 4]);
    expect(history.ok && history.value.items.at(-1)?.changeCause).toBe('bump to 1.28');
  }, 60_000);

  it('rollback to a given revision; an unknown one is refused by validate and fails the operation as Invalid', async () => {
    const op = await h.command('rollback', { namespace: ns, name, toRevision: 1 });
    expect((await h.succeeded(op)).result).toMatchObject({ images: ['nginx:1.27'], revision: 5 });
    const check = await h.query('validate', { kind: 'deployment.rollback', payload: { namespace: ns, name, toRevision: 42 } });
    expect(check).toEqual({ ok: false, error: { code: 'Invalid', message: 'toRevision: revision 42 not found', fieldErrors: [{ path: 'toRevision', message: 'revision 42 not found' }] } });
    expect(await h.query('validate', { kind: 'deployment.rollback', payload: { namespace: ns, name, toRevision: 3 } })).toEqual({ ok: true, value: { fieldErrors: [] } });
    const bad = await h.command('rollback', { namespace: ns, name, toRevision: 42 });
    expect((await h.terminal(bad)).error).toEqual({ code: 'Invalid', message: 'cannot roll back: toRevision: revision 42 not found' });
    expect(revisionOf(await h.deployment(ns, name))).toBe(5);
  }, 60_000);

  it('restart: a new revision whose template carries restartedAt', async () => {
    const op = await h.command('restart', { namespace: ns, name });
    expect((await h.succeeded(op)).result).toMatchObject({ revision: 6, images: ['nginx:1.27'] });
    const d = await h.deployment(ns, name);
    expect(d?.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  }, 60_000);

  it('pause, set-image while paused (no rollout), resume (the rollout happens)', async () => {
    const pause = await h.command('pause', { namespace: ns, name });
    expect((await h.succeeded(pause)).result).toMatchObject({ paused: true, rollout: { state: 'paused' } });
    const setImage = await h.command('set-image', { namespace: ns, name, image: 'nginx:1.30', changeCause: 'while paused' });
    expect((await h.succeeded(setImage)).result).toMatchObject({ paused: true, revision: 6, images: ['nginx:1.30'] });
    expect((await h.replicaSets(ns)).length).toBe(4);
    const resume = await h.command('resume', { namespace: ns, name });
    expect((await h.succeeded(resume)).result).toMatchObject({ paused: false, revision: 7, images: ['nginx:1.30'], rollout: { state: 'complete' } });
  }, 90_000);

  it('scale through the scale subresource: no new revision', async () => {
    const op = await h.command('scale', { namespace: ns, name, replicas: 5 });
    expect((await h.succeeded(op)).result).toMatchObject({ revision: 7, replicas: { desired: 5, available: 5 } });
  }, 60_000);

  it('answers get, list and resolve-image; validate names bad fields', async () => {
    const view = await h.query<DeploymentView>('get', { namespace: ns, name });
    expect(view).toEqual({ ok: true, value: expect.objectContaining({ namespace: ns, name, revision: 7, rollout: { state: 'complete', message: `deployment "${name}" successfully rolled out` } }) });
    const list = await h.query<DeploymentView[]>('list', { namespace: ns });
    expect(list.ok && list.value.map((d) => d.name)).toEqual([name]);
    expect(await h.query('get', { namespace: ns, name: 'nope' })).toEqual({ ok: false, error: { code: 'NotFound', message: 'deployments.apps "nope" not found' } });
    expect(await h.query<ResolvedImage>('resolve-image', { image: 'busybox' })).toEqual({ ok: true, value: {
      registry: 'docker.io', repository: 'library/busybox', tag: 'latest', normalized: 'docker.io/library/busybox:latest', defaultPullPolicy: 'Always',
    } });
    expect(await h.query('resolve-image', { image: 'Not An Image' })).toMatchObject({ ok: false, error: { code: 'Invalid' } });
    const invalid = await h.query('validate', { kind: 'deployment.deploy', payload: { namespace: ns, name: 'Bad_Name', image: 'nginx:1.27', strategy: { maxSurge: 0, maxUnavailable: 0 } } });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'Invalid', fieldErrors: [{ path: 'name' }, { path: 'strategy.maxUnavailable' }] } });
    const container = await h.query('validate', { kind: 'deployment.set-image', payload: { namespace: ns, name, image: 'nginx:1.31', container: 'sidecar' } });
    expect(container).toMatchObject({ ok: false, error: { code: 'Invalid', fieldErrors: [{ path: 'container', message: expect.stringContaining('container "sidecar" not found') }] } });
  }, 30_000);

  it('tracks many rollouts at once on the shared informers', async () => {
    const names = Array.from({ length: 40 }, (_, i) => `many-${i}`);
    const ops = await Promise.all(names.map((n) => h.command('deploy', { namespace: ns, name: n, image: 'nginx:1.27', replicas: 1 })));
    const done = await Promise.all(ops.map((op) => h.succeeded(op, 90_000)));
    expect(done.map((e) => e.result?.name)).toEqual(names);
    const ping = await h.query<{ health: Record<string, { ok: boolean; detail?: string }> }>('ping', {});
    expect(ping.ok && ping.value.health).toMatchObject({
      commands: { ok: true }, 'operations-worker': { ok: true }, 'rollout-informers': { ok: true }, kubernetes: { ok: true }, nats: { ok: true }, redis: { ok: true },
    });
    await Promise.all(names.map((n) => h.admin.delete({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: n })));
  }, 120_000);

  it('an invalid command fails its operation as Invalid without touching the cluster', async () => {
    const op = await h.command('deploy', { namespace: ns, name: 'other', image: 'nginx:1.27', replicas: -1 });
    expect((await h.terminal(op)).error).toEqual({ code: 'Invalid', message: 'invalid deploy command: replicas: replicas must be 0 or more' });
    expect(h.of(op, 'started')).toHaveLength(0);
    expect(await h.deployment(ns, 'other')).toBeUndefined();
  }, 30_000);

  it('delete: the Deployment goes; deleting it again is done too (404 = done)', async () => {
    const op = await h.command('delete', { namespace: ns, name });
    expect((await h.succeeded(op)).result).toEqual({ namespace: ns, name, deleted: true });
    await eventually(async () => ((await h.deployment(ns, name)) === undefined ? true : undefined), 'deployment gone');
    const again = await h.command('delete', { namespace: ns, name });
    expect((await h.succeeded(again)).result).toEqual({ namespace: ns, name, deleted: false });
  }, 30_000);
});
