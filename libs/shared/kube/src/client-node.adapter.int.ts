import { ClusterRegistry } from './cluster.registry';
import { KubeError } from './kube.errors';
import type { KubeObject, KubePort } from './kube.port';
import { eventually, requireTestenv, uniqueNamespace } from './testing/kube-testenv';

jest.setTimeout(120_000);

interface Status {
  conditions?: { type: string; status: string }[];
  observedGeneration?: number;
  currentHealthy?: number;
  disruptionsAllowed?: number;
}
type Obj = KubeObject & { spec?: { replicas?: number; [k: string]: unknown }; status?: Status; data?: Record<string, string> };
interface ManagedField {
  manager: string;
  operation: string;
}

const ns = uniqueNamespace('bosun-kube-it');
let registry: ClusterRegistry;
let kube: KubePort;

const deployment = (name: string, replicas: number, labels: Record<string, string> = { app: name }): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: ns, labels },
  spec: {
    replicas,
    selector: { matchLabels: labels },
    template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10' }] } },
  },
});
const configMap = (name: string, data: Record<string, string>): Obj => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data,
});
const ref = (kind: string, name: string, apiVersion = 'v1') => ({ apiVersion, kind, namespace: ns, name });

beforeAll(async () => {
  const env = await requireTestenv();
  registry = new ClusterRegistry({ kubeconfigPath: env.kubeconfig });
  kube = registry.get();
  await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
});

afterAll(async () => {
  await kube?.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns });
  registry?.close();
});

describe('ClientNodeKubeAdapter against the test apiserver', () => {
  it('reports the server version', async () => {
    const v = await kube.serverVersion();
    expect(v.gitVersion).toMatch(/^v1\.\d+\.\d+/);
    expect(v.major).toBe('1');
  });

  it('applies idempotently, owned by the bosun field manager with operation Apply', async () => {
    const owners = (o: Obj) => (o.metadata.managedFields as ManagedField[]).map((f) => ({ manager: f.manager, operation: f.operation }));
    // A ConfigMap has no controller writing to it, so a no-op second apply must not even bump resourceVersion.
    const first = await kube.apply(configMap('applied', { k: 'v' }));
    const second = await kube.apply(configMap('applied', { k: 'v' }));
    expect(second.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    const storedCm = (await kube.get<Obj>(ref('ConfigMap', 'applied')))!;
    expect(storedCm.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    expect(owners(storedCm)).toEqual([{ manager: 'bosun', operation: 'Apply' }]);

    // The deployment controller writes status concurrently, so for a Deployment the spec generation is what must not move.
    await kube.apply(deployment('web', 1));
    await kube.apply(deployment('web', 1));
    const stored = (await kube.get<Obj>(ref('Deployment', 'web', 'apps/v1')))!;
    expect(stored.metadata.generation).toBe(1);
    expect(stored.spec!.replicas).toBe(1);
    expect(owners(stored)).toContainEqual({ manager: 'bosun', operation: 'Apply' });
  });

  it('keeps Invalid with its field causes', async () => {
    const err = await kube.apply(deployment('bad', -1)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeError);
    expect(err).toMatchObject({ status: 422, reason: 'Invalid' });
    expect((err as KubeError).message).toContain('spec.replicas');
    expect((err as KubeError).causes).toContainEqual(expect.objectContaining({ field: 'spec.replicas' }));
  });

  it('returns undefined for a missing object and reports delete twice as deleted then absent', async () => {
    expect(await kube.get(ref('ConfigMap', 'does-not-exist'))).toBeUndefined();
    await kube.create(configMap('short-lived', { a: '1' }));
    expect(await kube.delete(ref('ConfigMap', 'short-lived'))).toBe('deleted');
    expect(await kube.delete(ref('ConfigMap', 'short-lived'))).toBe('absent');
    expect(await kube.get(ref('ConfigMap', 'short-lived'))).toBeUndefined();
  });

  it('creates once, then AlreadyExists', async () => {
    await kube.create(configMap('once', { a: '1' }));
    await expect(kube.create(configMap('once', { a: '1' }))).rejects.toMatchObject({ status: 409, reason: 'AlreadyExists' });
  });

  it('patches with merge, strategic and JSON patches', async () => {
    await kube.apply(configMap('patched', { a: '1' }));
    await kube.patch(ref('ConfigMap', 'patched'), { data: { b: '2' } }, 'merge');
    await kube.patch(ref('ConfigMap', 'patched'), { data: { c: '3' } }, 'strategic');
    await kube.patch(ref('ConfigMap', 'patched'), [{ op: 'remove', path: '/data/a' }], 'json');
    expect((await kube.get<Obj>(ref('ConfigMap', 'patched')))!.data).toEqual({ b: '2', c: '3' });
  });

  it('lists by label across one namespace, with apiVersion and kind on each item', async () => {
    await kube.apply({ ...configMap('labelled-1', {}), metadata: { name: 'labelled-1', namespace: ns, labels: { pick: 'yes' } } });
    await kube.apply({ ...configMap('labelled-2', {}), metadata: { name: 'labelled-2', namespace: ns, labels: { pick: 'no' } } });
    const items = await kube.list({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, labelSelector: 'pick=yes' });
    expect(items.map((i) => [i.apiVersion, i.kind, i.metadata.name])).toEqual([['v1', 'ConfigMap', 'labelled-1']]);
    const all = await kube.list({ apiVersion: 'v1', kind: 'Namespace', fieldSelector: `metadata.name=${ns}` });
    expect(all).toHaveLength(1);
  });

  it('scales through the scale subresource', async () => {
    await kube.apply(deployment('scaled', 1));
    await kube.scale(ref('Deployment', 'scaled', 'apps/v1'), 3);
    const stored = (await kube.get<Obj>(ref('Deployment', 'scaled', 'apps/v1')))!;
    expect(stored.spec!.replicas).toBe(3);
  });

  it('fails an unknown kind loudly instead of answering undefined', async () => {
    await expect(kube.get({ apiVersion: 'v1', kind: 'NoSuchKind', namespace: ns, name: 'x' })).rejects.toMatchObject({ reason: 'UnknownKind' });
  });

  describe('impersonation', () => {
    const user = `alice-${ns}`;
    const group = `bosun-it-editors-${ns}`;

    it('is Forbidden with Kubernetes message until RBAC allows it', async () => {
      const err = await kube.apply(configMap('as-alice', { by: 'alice' }), { as: { user } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KubeError);
      expect(err).toMatchObject({ status: 403, reason: 'Forbidden' });
      expect((err as KubeError).message).toContain(`User "${user}" cannot patch resource "configmaps"`);
      expect((err as KubeError).message).toContain(`in the namespace "${ns}"`);

      await kube.apply({
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'cm-editor', namespace: ns },
        rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'create', 'patch', 'update', 'delete'] }],
      });
      await kube.apply({
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'alice-cm-editor', namespace: ns },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm-editor' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
      });
      // RBAC reaches the authorizer through an informer, so allow it a moment.
      const applied = await eventually(() => kube.apply(configMap('as-alice', { by: 'alice' }), { as: { user } }), 'RBAC to allow alice');
      const stored = (await kube.get<Obj>(ref('ConfigMap', 'as-alice')))!;
      expect(stored.data).toEqual({ by: 'alice' });
      expect(stored.metadata.uid).toBe(applied.metadata.uid);
      // Still Forbidden outside what the Role grants.
      await expect(kube.list({ apiVersion: 'v1', kind: 'Secret', namespace: ns }, { as: { user } })).rejects.toMatchObject({ reason: 'Forbidden' });
    });

    it('sends every group, so a binding to the second group applies', async () => {
      const as = { user: `bob-${ns}`, groups: ['some-other-group', group] };
      await expect(kube.get(ref('ConfigMap', 'once'), { as })).rejects.toMatchObject({ reason: 'Forbidden' });
      await kube.apply({
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'group-cm-editor', namespace: ns },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm-editor' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group }],
      });
      const got = await eventually(() => kube.get<Obj>(ref('ConfigMap', 'once'), { as }), 'RBAC to allow the group');
      expect(got.data).toEqual({ a: '1' });
    });
  });

  describe('eviction', () => {
    const podsOf = (app: string) => kube.list<Obj>({ apiVersion: 'v1', kind: 'Pod', namespace: ns, labelSelector: `app=${app}` });
    const readyPod = (app: string) =>
      eventually(async () => (await podsOf(app)).find((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')), `a Ready ${app} pod`, 60_000);

    it('is blocked by a PodDisruptionBudget with maxUnavailable 0', async () => {
      await kube.apply(deployment('guarded', 1));
      await kube.apply({
        apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'guarded', namespace: ns },
        spec: { maxUnavailable: 0, selector: { matchLabels: { app: 'guarded' } } },
      });
      const pod = await readyPod('guarded');
      // Wait until the disruption controller has computed the budget, so the refusal is the budget's, not "not yet processed".
      await eventually(async () => {
        const pdb = await kube.get<Obj>(ref('PodDisruptionBudget', 'guarded', 'policy/v1'));
        return (pdb?.status?.observedGeneration ?? 0) >= 1 && pdb?.status?.currentHealthy === 1 && pdb?.status?.disruptionsAllowed === 0;
      }, 'the PDB status');
      expect(await kube.evict({ namespace: ns, name: pod.metadata.name })).toBe('blocked');
      // The refusal names the budget with its counts; a server-side dry run is refused the same way.
      const refused = await kube.tryEvict({ namespace: ns, name: pod.metadata.name }, { dryRun: true });
      expect(refused).toMatchObject({ outcome: 'blocked', message: expect.stringContaining('disruption budget') });
      expect(JSON.stringify(refused.causes)).toMatch(/The disruption budget guarded needs 1 healthy pods and has 1 currently/);
      const after = (await kube.get<Obj>(ref('Pod', pod.metadata.name)))!;
      expect(after.metadata.deletionTimestamp).toBeUndefined();
    });

    it('evicts an unprotected pod, and a missing pod is absent', async () => {
      await kube.apply(deployment('free', 1));
      const pod = await readyPod('free');
      // A dry run says it would go, and leaves it alone.
      expect(await kube.tryEvict({ namespace: ns, name: pod.metadata.name }, { dryRun: true })).toEqual({ outcome: 'evicted' });
      expect((await kube.get<Obj>(ref('Pod', pod.metadata.name)))?.metadata.deletionTimestamp).toBeUndefined();
      expect(await kube.evict({ namespace: ns, name: pod.metadata.name })).toBe('evicted');
      await eventually(async () => {
        const p = await kube.get<Obj>(ref('Pod', pod.metadata.name));
        return !p || !!p.metadata.deletionTimestamp;
      }, 'the evicted pod to terminate');
      expect(await kube.evict({ namespace: ns, name: 'no-such-pod' })).toBe('absent');
    });
  });
});
