import { KubeError } from '@bosun/kube';
import type { CallOptions, KubeObject, KubePort, ListQuery, ObjectRef, PatchType, SharedInformer } from '@bosun/kube';
import { DeploymentMutations } from './deployment.mutations';
import type { CachedDeployments } from './deployment.mutations';
import type { DeploymentObject } from './deployment.repository';
import { sealedEnvContext } from '@bosun/contracts';
import { OperationFailure, SECRET_PURPOSES, SecretBox } from '@bosun/service-kit';
import { OPERATION_ID_ANNOTATION, RECENT_OPERATIONS_ANNOTATION } from '@bosun/kube';

type Call = { verb: string; ref?: ObjectRef; body?: unknown; type?: PatchType; opts?: CallOptions & { force?: boolean } };
const UID = 'uid-web';
const AS = { user: 'alice', groups: ['devs'] };
const template = (image: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } });
const liveDeployment = (annotations: Record<string, string> = {}, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name: 'web', namespace: 'ns', uid: UID, generation: 3, resourceVersion: '77', annotations: { 'deployment.kubernetes.io/revision': '2', ...annotations } },
  spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: template('nginx:1.28'), ...extra },
});
const rs = (revision: number, image: string): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'ReplicaSet',
  metadata: { name: `web-${revision}`, namespace: 'ns', ownerReferences: [{ uid: UID, controller: true }], annotations: { 'deployment.kubernetes.io/revision': String(revision), 'kubernetes.io/change-cause': `v${revision}` } },
  spec: { template: { ...template(image), metadata: { labels: { app: 'web', 'pod-template-hash': String(revision) } } } },
});

/** Our own port, faked: records the calls, answers from a tiny in-memory Deployment. */
class FakeKube implements KubePort {
  calls: Call[] = [];
  /** what a read of the namespace answers: it exists, it does not, or the subject may not read it */
  namespace: 'exists' | 'missing' | 'forbidden' = 'exists';
  constructor(public deployment: KubeObject | undefined, private readonly replicaSets: KubeObject[] = [], private readonly fail?: KubeError) {}
  async apply<T extends KubeObject>(obj: T, opts?: CallOptions & { force?: boolean }): Promise<T> {
    this.calls.push({ verb: 'apply', body: obj, opts });
    return { ...obj, metadata: { ...obj.metadata, generation: 4 } } as unknown as T;
  }
  async get<T extends KubeObject>(ref: ObjectRef, opts?: CallOptions): Promise<T | undefined> {
    this.calls.push({ verb: 'get', ref, opts });
    if (this.fail) throw this.fail;
    if (ref.kind === 'Namespace') return this.namespaceRead<T>(ref.name);
    return this.deployment as T | undefined;
  }
  private namespaceRead<T>(name: string): T | undefined {
    if (this.namespace === 'forbidden') throw new KubeError(403, 'Forbidden', `namespaces "${name}" is forbidden`);
    return this.namespace === 'exists' ? ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } } as T) : undefined;
  }
  async list<T extends KubeObject>(q: ListQuery, opts?: CallOptions): Promise<T[]> {
    this.calls.push({ verb: 'list', body: q, opts });
    return this.replicaSets as T[];
  }
  async delete(ref: ObjectRef, opts?: CallOptions): Promise<'deleted' | 'absent'> {
    this.calls.push({ verb: 'delete', ref, opts });
    return this.deployment ? 'deleted' : 'absent';
  }
  async patch<T extends KubeObject>(ref: ObjectRef, body: unknown, type: PatchType, opts?: CallOptions): Promise<T> {
    this.calls.push({ verb: 'patch', ref, body, type, opts });
    return { ...(this.deployment as KubeObject), metadata: { ...(this.deployment as KubeObject).metadata, generation: 4 } } as unknown as T;
  }
  async scale(ref: ObjectRef, replicas: number, opts?: CallOptions): Promise<void> {
    this.calls.push({ verb: 'scale', ref, body: replicas, opts });
  }
  evict(): Promise<'evicted'> { throw new Error('not used'); }
  tryEvict(): Promise<never> { throw new Error('not used'); }
  createSubresource(): Promise<never> { throw new Error('not used'); }
  patchStatus(): Promise<never> { throw new Error('not used'); }
  create<T extends KubeObject>(): Promise<T> { throw new Error('not used'); }
  serverVersion(): Promise<never> { throw new Error('not used'); }
  informer<T extends KubeObject>(): SharedInformer<T> { throw new Error('not used'); }
  verbs(): string[] { return this.calls.map((c) => c.verb); }
}

const box = new SecretBox('unit-test-encryption-key-0123456789', SECRET_PURPOSES.sealedValues);
const mutations = (kube: FakeKube, operationId = 'op_new'): DeploymentMutations =>
  new DeploymentMutations({ port: kube, as: AS, operationId, now: new Date('2026-11-22T10:00:00.123Z'), issuedAt: '2026-11-22T10:00:00.000Z', cluster: 'default', sealedValues: box });
/** A first run: the informers' copy, holding `cachedDeployment` (and so its namespace) or nothing in `namespacesInUse`. */
const firstRun = (kube: FakeKube, cachedDeployment: KubeObject | undefined, namespacesInUse: string[] = []): DeploymentMutations => {
  const cached: CachedDeployments = {
    deployment: (ns, name) => (cachedDeployment && cachedDeployment.metadata.namespace === ns && cachedDeployment.metadata.name === name ? cachedDeployment as DeploymentObject : undefined),
    namespaceInUse: (ns) => namespacesInUse.includes(ns) || cachedDeployment?.metadata.namespace === ns,
  };
  return new DeploymentMutations({ port: kube, as: AS, operationId: 'op_new', now: new Date('2026-11-22T10:00:00.123Z'), issuedAt: '2026-11-22T10:00:00.000Z', cluster: 'default', sealedValues: box, cached });
};
const sealFor = (variable: string, value: string, target = { cluster: 'default', namespace: 'ns', name: 'web' }): { sealed: string } =>
  ({ sealed: box.seal(value, sealedEnvContext(target, variable)) });
const secretRef = { valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } };

describe('DeploymentMutations', () => {
  it('deploy: server-side apply as the subject, forced, with the operation marker on metadata', async () => {
    const kube = new FakeKube(undefined);
    const outcome = await mutations(kube).perform({ action: 'deploy', payload: { namespace: 'ns', name: 'web', image: 'nginx:1.27' } });
    expect(outcome).toEqual({ track: 'rollout', minGeneration: 4, alreadyDone: false });
    const apply = kube.calls.find((c) => c.verb === 'apply')!;
    expect(apply.opts).toEqual({ as: AS, force: true });
    expect((apply.body as KubeObject).metadata.annotations).toEqual({ [OPERATION_ID_ANNOTATION]: 'op_new', [RECENT_OPERATIONS_ANNOTATION]: 'op_new' });
    expect(kube.calls.every((c) => c.opts?.as === AS)).toBe(true);
  });

  it('deploy into a namespace that does not exist fails NotFound in the apiserver\'s words before any apply (both read at once); for an existing Deployment the namespace answer is not waited for', async () => {
    const kube = new FakeKube(undefined);
    kube.namespace = 'missing';
    const err = await mutations(kube).perform({ action: 'deploy', payload: { namespace: 'ns', name: 'web', image: 'nginx:1.27' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OperationFailure);
    expect(err).toMatchObject({ code: 'NotFound', message: 'namespaces "ns" not found' });
    expect(kube.calls.map((c) => [c.verb, c.ref?.kind, c.opts?.as])).toEqual([['get', 'Namespace', AS], ['get', 'Deployment', AS]]);
    const update = new FakeKube(liveDeployment());
    update.namespace = 'missing';
    await mutations(update).perform({ action: 'deploy', payload: { namespace: 'ns', name: 'web', image: 'nginx:1.29' } });
    expect(update.calls.map((c) => c.ref?.kind ?? c.verb)).toEqual(['Namespace', 'Deployment', 'apply']);
  });

  it('deploy on a first run starts from the informers: no read-back of a marker, only the apply (the namespace read only when nothing of it is cached)', async () => {
    const update = new FakeKube(liveDeployment());
    await firstRun(update, liveDeployment({ [RECENT_OPERATIONS_ANNOTATION]: 'op_old' })).perform({ action: 'deploy', payload: { namespace: 'ns', name: 'web', image: 'nginx:1.29' } });
    expect(update.verbs()).toEqual(['apply']);
    // The recent operations come from the cached copy.
    expect((update.calls[0].body as { metadata: { annotations: Record<string, string> } }).metadata.annotations[RECENT_OPERATIONS_ANNOTATION]).toBe('op_new,op_old');

    const besideOthers = new FakeKube(undefined);
    await firstRun(besideOthers, undefined, ['ns']).perform({ action: 'deploy', payload: { namespace: 'ns', name: 'web', image: 'nginx:1.27' } });
    expect(besideOthers.verbs()).toEqual(['apply']);

    const intoEmpty = new FakeKube(undefined);
    await firstRun(intoEmpty, undefined).perform({ action: 'deploy', payload: { namespace: 'ns', name: 'web', image: 'nginx:1.27' } });
    expect(intoEmpty.calls.map((c) => c.ref?.kind ?? c.verb)).toEqual(['Namespace', 'apply']);

    const intoMissing = new FakeKube(undefined);
    intoMissing.namespace = 'missing';
    const err = await firstRun(intoMissing, undefined).perform({ action: 'deploy', payload: { namespace: 'ns', name: 'web', image: 'nginx:1.27' } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NotFound', message: 'namespaces "ns" not found' });
    expect(intoMissing.verbs()).toEqual(['get']);
  });

  it('deploy by a subject that may not read the namespace: the apply decides', async () => {
    const kube = new FakeKube(undefined);
    kube.namespace = 'forbidden';
    await mutations(kube).perform({ action: 'deploy', payload: { namespace: 'ns', name: 'web', image: 'nginx:1.27' } });
    expect(kube.verbs()).toEqual(['get', 'get', 'apply']);
  });

  it('deploy: sealed env values are opened into the applied manifest; Secret references go as valueFrom.secretKeyRef', async () => {
    const kube = new FakeKube(undefined);
    await mutations(kube).perform({ action: 'deploy', payload: { namespace: 'ns', name: 'web', image: 'nginx:1.27', env: { API_KEY: sealFor('API_KEY', 'k-123'), DB: secretRef } } });
    const env = (kube.calls.find((c) => c.verb === 'apply')!.body as { spec: { template: { spec: { containers: { env: unknown }[] } } } }).spec.template.spec.containers[0].env;
    expect(env).toEqual([{ name: 'API_KEY', value: 'k-123' }, { name: 'DB', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }]);
  });

  it('deploy: a sealed value that does not open here (another Deployment, another variable, another key) fails Invalid naming it, and nothing is applied', async () => {
    const other = new SecretBox('another-encryption-key-0123456789', SECRET_PURPOSES.sealedValues);
    for (const bad of [
      sealFor('API_KEY', 'k', { cluster: 'default', namespace: 'ns', name: 'other' }),
      sealFor('OTHER_VAR', 'k'),
      sealFor('API_KEY', 'k', { cluster: 'edge', namespace: 'ns', name: 'web' }),
      { sealed: other.seal('k', sealedEnvContext({ cluster: 'default', namespace: 'ns', name: 'web' }, 'API_KEY')) },
    ]) {
      const kube = new FakeKube(undefined);
      const err = await mutations(kube).perform({ action: 'deploy', payload: { namespace: 'ns', name: 'web', image: 'nginx:1.27', env: { API_KEY: bad } } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OperationFailure);
      expect(err).toMatchObject({ code: 'Invalid', details: { fieldErrors: [{ path: 'env.API_KEY', message: expect.stringMatching(/BOSUN_ENCRYPTION_KEY/) }] } });
      expect(kube.verbs()).not.toContain('apply');
    }
  });

  it('deploy to a Deployment an autoscaler manages keeps the replica count it chose, not the requested one (004:4303-4321)', async () => {
    const managed = new FakeKube({ ...liveDeployment({ 'autoscaling.bosun.dev/managed-by': 'as_1' }), spec: { ...liveDeployment().spec as object, replicas: 5 } });
    await mutations(managed).perform({ action: 'deploy', payload: { namespace: 'ns', name: 'web', image: 'nginx:1.29', replicas: 2 } });
    expect((managed.calls.find((c) => c.verb === 'apply')!.body as { spec: { replicas?: number } }).spec.replicas).toBe(5);
    const unmanaged = new FakeKube(liveDeployment());
    await mutations(unmanaged).perform({ action: 'deploy', payload: { namespace: 'ns', name: 'web', image: 'nginx:1.29', replicas: 2 } });
    expect((unmanaged.calls.find((c) => c.verb === 'apply')!.body as { spec: { replicas?: number } }).spec.replicas).toBe(2);
  });

  it.each([
    ['deploy', { namespace: 'ns', name: 'web', image: 'nginx:1.27' }, 'rollout'],
    ['set-image', { namespace: 'ns', name: 'web', image: 'nginx:1.29' }, 'rollout'],
    ['rollback', { namespace: 'ns', name: 'web' }, 'rollout'],
    ['restart', { namespace: 'ns', name: 'web' }, 'rollout'],
    ['pause', { namespace: 'ns', name: 'web' }, 'paused'],
    ['resume', { namespace: 'ns', name: 'web' }, 'rollout'],
  ] as const)('%s already made by this operation (marker found): nothing is sent, only tracked', async (action, payload, track) => {
    const kube = new FakeKube(liveDeployment({ [OPERATION_ID_ANNOTATION]: 'op_later', [RECENT_OPERATIONS_ANNOTATION]: 'op_later,op_new' }), [rs(1, 'nginx:1.27'), rs(2, 'nginx:1.28')]);
    const outcome = await mutations(kube).perform({ action, payload } as never);
    expect(outcome).toEqual({ track, minGeneration: 3, alreadyDone: true });
    // a deploy reads the namespace beside the Deployment (for a create); nothing else is sent
    expect(kube.verbs()).toEqual(action === 'deploy' ? ['get', 'get'] : ['get']);
  });

  it('rollback: the JSON patch restores the old template, carries the marker and is conditional on the resourceVersion read', async () => {
    const kube = new FakeKube(liveDeployment(), [rs(1, 'nginx:1.27'), rs(2, 'nginx:1.28')]);
    const outcome = await mutations(kube).perform({ action: 'rollback', payload: { namespace: 'ns', name: 'web' } });
    expect(outcome).toMatchObject({ track: 'rollout', alreadyDone: false, notes: { rollback: { toRevision: 1, noop: false } } });
    const patch = kube.calls.find((c) => c.verb === 'patch')!;
    expect(patch.type).toBe('json');
    expect(patch.body).toEqual([
      { op: 'replace', path: '/spec/template', value: template('nginx:1.27') },
      { op: 'add', path: '/metadata/annotations', value: expect.objectContaining({ 'kubernetes.io/change-cause': 'v1', [OPERATION_ID_ANNOTATION]: 'op_new' }) },
      { op: 'replace', path: '/metadata/resourceVersion', value: '77' },
    ]);
  });

  it('rollback to an unknown revision is Invalid; of a paused Deployment a Conflict; neither sends anything', async () => {
    const kube = new FakeKube(liveDeployment(), [rs(1, 'nginx:1.27'), rs(2, 'nginx:1.28')]);
    await expect(mutations(kube).perform({ action: 'rollback', payload: { namespace: 'ns', name: 'web', toRevision: 9 } }))
      .rejects.toMatchObject({ code: 'Invalid', message: 'cannot roll back: toRevision: revision 9 not found', details: { fieldErrors: [{ path: 'toRevision' }] } });
    const paused = new FakeKube(liveDeployment({}, { paused: true }), [rs(1, 'nginx:1.27'), rs(2, 'nginx:1.28')]);
    await expect(mutations(paused).perform({ action: 'rollback', payload: { namespace: 'ns', name: 'web' } })).rejects.toMatchObject({ code: 'Conflict' });
    expect([...kube.verbs(), ...paused.verbs()].filter((v) => v === 'patch')).toEqual([]);
  });

  it('set-image: a strategic patch with a change cause saying what changed; an unknown container is Invalid', async () => {
    const kube = new FakeKube(liveDeployment());
    await mutations(kube).perform({ action: 'set-image', payload: { namespace: 'ns', name: 'web', image: 'nginx:1.29' } });
    const patch = kube.calls.find((c) => c.verb === 'patch')!;
    expect(patch.type).toBe('strategic');
    expect(patch.body).toMatchObject({ metadata: { resourceVersion: '77', annotations: { 'kubernetes.io/change-cause': 'set image web=nginx:1.29', [OPERATION_ID_ANNOTATION]: 'op_new' } } });
    await expect(mutations(new FakeKube(liveDeployment())).perform({ action: 'set-image', payload: { namespace: 'ns', name: 'web', image: 'nginx:1.29', container: 'side' } }))
      .rejects.toBeInstanceOf(OperationFailure);
  });

  it('restart, pause and resume patch the Deployment once, as the subject', async () => {
    for (const action of ['restart', 'pause', 'resume'] as const) {
      const kube = new FakeKube(liveDeployment());
      await mutations(kube).perform({ action, payload: { namespace: 'ns', name: 'web' } });
      expect(kube.verbs()).toEqual(['get', 'patch']);
    }
  });

  it('a missing Deployment is NotFound in the apiserver\'s words; a Kubernetes error propagates untouched', async () => {
    await expect(mutations(new FakeKube(undefined)).perform({ action: 'restart', payload: { namespace: 'ns', name: 'web' } }))
      .rejects.toMatchObject({ code: 'NotFound', message: 'deployments.apps "web" not found' });
    const forbidden = new KubeError(403, 'Forbidden', 'deployments.apps "web" is forbidden: User "alice" cannot get resource "deployments"');
    await expect(mutations(new FakeKube(liveDeployment(), [], forbidden)).perform({ action: 'pause', payload: { namespace: 'ns', name: 'web' } })).rejects.toBe(forbidden);
  });

  it('scale is a conditional patch under the marker (a replayed old scale never reverts a newer one); delete treats an absent Deployment as done', async () => {
    const kube = new FakeKube(liveDeployment());
    expect(await mutations(kube).perform({ action: 'scale', payload: { namespace: 'ns', name: 'web', replicas: 5 } })).toMatchObject({ track: 'rollout', alreadyDone: false });
    expect(kube.calls.find((c) => c.verb === 'patch')).toMatchObject({
      body: { spec: { replicas: 5 }, metadata: { annotations: { 'bosun.dev/operation-id': 'op_new' }, resourceVersion: expect.any(String) } }, opts: { as: AS },
    });
    const marked = new FakeKube(liveDeployment({ 'bosun.dev/operation-id': 'op_new' }));
    expect(await mutations(marked).perform({ action: 'scale', payload: { namespace: 'ns', name: 'web', replicas: 1 } })).toMatchObject({ alreadyDone: true });
    expect(marked.verbs()).not.toContain('patch');
    expect(await mutations(new FakeKube(undefined)).perform({ action: 'delete', payload: { namespace: 'ns', name: 'web' } }))
      .toEqual({ track: 'none', minGeneration: 0, alreadyDone: true, notes: { namespace: 'ns', name: 'web', deleted: false } });
  });

  it('delete removes the Deployment it read (uid precondition), and leaves alone one created after the delete was requested', async () => {
    const older = new FakeKube({ ...liveDeployment(), metadata: { ...liveDeployment().metadata, creationTimestamp: '2026-11-22T09:00:00Z' } });
    expect(await mutations(older).perform({ action: 'delete', payload: { namespace: 'ns', name: 'web' } })).toMatchObject({ notes: { deleted: true } });
    expect(older.calls.find((c) => c.verb === 'delete')).toMatchObject({ opts: { as: AS, propagationPolicy: 'Background', preconditions: { uid: UID } } });
    const newer = new FakeKube({ ...liveDeployment(), metadata: { ...liveDeployment().metadata, creationTimestamp: '2026-11-22T10:05:00Z' } });
    expect(await mutations(newer).perform({ action: 'delete', payload: { namespace: 'ns', name: 'web' } })).toMatchObject({ alreadyDone: true, notes: { deleted: false, reason: expect.stringContaining('newer') } });
    expect(newer.verbs()).not.toContain('delete');
  });

  it('a Conflict (the Deployment changed since it was read) is retried with a fresh read, a few times', async () => {
    const kube = new FakeKube(liveDeployment());
    let conflicts = 2;
    const patch = kube.patch.bind(kube);
    kube.patch = async (...args) => {
      if (conflicts-- > 0) throw new KubeError(409, 'Conflict', 'the object has been modified; please apply your changes to the latest version and try again');
      return patch(...args);
    };
    expect(await mutations(kube).perform({ action: 'restart', payload: { namespace: 'ns', name: 'web' } })).toMatchObject({ alreadyDone: false });
    expect(kube.verbs()).toEqual(['get', 'get', 'get', 'patch']); // the failed patches are thrown before they are recorded
    conflicts = 99;
    await expect(mutations(kube).perform({ action: 'restart', payload: { namespace: 'ns', name: 'web' } })).rejects.toMatchObject({ reason: 'Conflict' });
  });
});
