import type { ClaimDiagnosis } from '@bosun/contracts';
import type { Actor } from '@bosun/contracts';
import { isKubeError, observeKubeRequests } from '@bosun/kube';
import type { Identity, KubeRequestObserver } from '@bosun/kube';
import { kubernetesIdentity } from '@bosun/service-kit';
import { eventually, uniqueName } from '@bosun/testing';
import { StorageCaches } from '../common/storage.caches';
import { StorageHarness } from '../testing/storage.harness';

// The diagnosis answers from the service's informers (filled by Bosun's own account), yet each
// asker gets exactly what their own RBAC allows: a SelfSubjectAccessReview made as them, kept
// for a short TTL. Against the real apiserver and its RBAC: someone who may not list PVs is
// Forbidden in the apiserver's words although the cache is warm; someone who may gets the
// answer with no PV list made for it.
const TTL_SECONDS = 2;
const PV_PATH = '/api/v1/persistentvolumes';
const REVIEW_PATH = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';

let h: StorageHarness;
let ns: string;
let manual: string;
let previous: KubeRequestObserver | undefined;
const requests: string[] = [];
const clusterScoped: Array<{ apiVersion: string; kind: string; name: string }> = [];
const ours: string[] = [];

const user = (name: string): Actor => ({ subject: `user:${name}`, groups: [], via: 'api' });
const forbiddenAs = async (as: Identity, read: () => Promise<unknown>): Promise<string> => {
  try {
    await read();
  } catch (err) {
    if (isKubeError(err, 'Forbidden')) return err.message;
    throw err;
  }
  throw new Error(`${as.user} was allowed`);
};
const madeDuring = async (fn: () => Promise<unknown>): Promise<string[]> => {
  const from = requests.length;
  await fn();
  return requests.slice(from);
};

beforeAll(async () => {
  h = await StorageHarness.withOptions({ ensureLocalPathClass: false, accessReviewTtlSeconds: TTL_SECONDS });
  await h.start();
  // Chained to the kit's metrics observer, which stays in place.
  previous = observeKubeRequests((method, status, seconds, path) => {
    requests.push(`${method} ${path}`);
    previous?.(method, status, seconds, path);
  });
  ns = await h.namespace('storage-diag');
  manual = await h.storageClass('manual');
  for (const size of ['1Gi', '2Gi']) {
    const pv = h.volumeName(`pv-${size.toLowerCase()}`);
    ours.push(pv);
    await h.staticVolume(pv, size, manual);
  }
  await h.admin.create({
    apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'big', namespace: ns },
    spec: { accessModes: ['ReadWriteOnce'], storageClassName: manual, resources: { requests: { storage: '5Gi' } } },
  });
  // The cache is warm before anyone asks: every informer has its first list, and it holds the claim.
  const cache = await h.service!.get(StorageCaches).of();
  await eventually(async () => (cache.synced && cache.informers.claims.get(ns, 'big') && cache.informers.volumes.list().some((v) => v.spec?.storageClassName === manual) ? true : undefined), 'the claim and volumes in the cache');
}, 60_000);

afterAll(async () => {
  observeKubeRequests(previous);
  for (const ref of clusterScoped) await h?.admin.delete(ref).catch(() => undefined);
  await h?.close();
}, 60_000);

/** A Role in the test's namespace with what the diagnosis reads there, bound to `subject`. */
const namespaceReader = async (name: string, subject: Record<string, string>): Promise<void> => {
  await h.admin.create({
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace: ns },
    rules: [
      { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['get', 'list'] },
      { apiGroups: [''], resources: ['pods', 'events'], verbs: ['list'] },
    ],
  });
  await h.admin.create({
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name, namespace: ns },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name }, subjects: [subject],
  });
};

/** Cluster-wide: list PVs and StorageClasses (what a namespace reader lacks). */
const volumeReader = async (name: string, userName: string): Promise<void> => {
  await h.admin.create({
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name },
    rules: [{ apiGroups: [''], resources: ['persistentvolumes'], verbs: ['list'] }, { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: ['list'] }],
  });
  clusterScoped.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name });
  await h.admin.create({
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: userName }],
  });
  clusterScoped.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name });
};

describe('storage: the diagnosis from the informers, under the asker\'s RBAC (real apiserver)', () => {
  it('the admin\'s answer comes from the cache: no PV list, no claim GET, per call', async () => {
    await h.query<ClaimDiagnosis>('diagnosis', { namespace: ns, name: 'big' });
    const made = await madeDuring(async () => {
      for (let i = 0; i < 5; i++) {
        const d = await h.query<ClaimDiagnosis>('diagnosis', { namespace: ns, name: 'big' });
        // The shared cluster holds other tests' PVs too: ours are the two this claim is too big for.
        const mine = d.ok ? Object.fromEntries(d.value.candidates.filter((c) => ours.includes(c.volume)).map((c) => [c.volume, c.reasons])) : {};
        expect(mine).toEqual({ [ours[0]]: ['capacity 1Gi < requested 5Gi'], [ours[1]]: ['capacity 2Gi < requested 5Gi'] });
      }
    });
    expect(made.filter((r) => r.includes(PV_PATH) || r.includes('/persistentvolumeclaims'))).toEqual([]);
  });

  it('someone with no rights at all is Forbidden on the claim, word for word what the apiserver says to them', async () => {
    const nobody = uniqueName('nobody');
    const as = kubernetesIdentity(user(nobody));
    const expected = await forbiddenAs(as, () => h.admin.get({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name: 'big' }, { as }));
    expect(await h.query('diagnosis', { namespace: ns, name: 'big' }, user(nobody))).toEqual({ ok: false, error: { code: 'Forbidden', message: expected } });
    // The same for a claim that does not exist: the right comes before the lookup, as the GET it replaces.
    expect(await h.query('diagnosis', { namespace: ns, name: 'nope' }, user(nobody))).toMatchObject({ ok: false, error: { code: 'Forbidden' } });
  });

  it('a ServiceAccount that may read the namespace but not list PVs is Forbidden on the PVs although the cache holds them', async () => {
    const sa = uniqueName('reader');
    await h.admin.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa, namespace: ns } });
    await namespaceReader(sa, { kind: 'ServiceAccount', name: sa, namespace: ns });
    const actor: Actor = { subject: `serviceaccount:${ns}:${sa}`, groups: [], via: 'api' };
    const as = kubernetesIdentity(actor);
    // RBAC changes reach the authorizer through its informers: wait until the claim itself is allowed.
    await eventually(async () => ((await h.admin.get({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name: 'big' }, { as }).catch(() => undefined)) ? true : undefined), 'the Role in force');
    const expected = await forbiddenAs(as, () => h.admin.list({ apiVersion: 'v1', kind: 'PersistentVolume' }, { as }));
    expect(expected).toBe(`persistentvolumes is forbidden: User "system:serviceaccount:${ns}:${sa}" cannot list resource "persistentvolumes" in API group "" at the cluster scope`);
    const refused = { ok: false, error: { code: 'Forbidden', message: expected } };
    const first = await madeDuring(async () => expect(await h.query('diagnosis', { namespace: ns, name: 'big' }, actor)).toEqual(refused));
    const second = await madeDuring(async () => expect(await h.query('diagnosis', { namespace: ns, name: 'big' }, actor)).toEqual(refused));
    // Its five rights reviewed once, in one round; the denial kept for the second call; never a PV list.
    expect(first.filter((r) => r.includes(REVIEW_PATH))).toHaveLength(5);
    expect(second).toEqual([]);
    expect(first.filter((r) => r.includes(PV_PATH))).toEqual([]);
  });

  it('a user who may gets the admin\'s answer from the cache: reviews on the first call only, never a PV list; a revoked right bites after the TTL', async () => {
    const name = uniqueName('storage-viewer');
    await namespaceReader(name, { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name });
    await volumeReader(name, name);
    const as = kubernetesIdentity(user(name));
    await eventually(async () => ((await h.admin.list({ apiVersion: 'v1', kind: 'PersistentVolume' }, { as }).catch(() => undefined)) ? true : undefined), 'the ClusterRole in force');
    await eventually(async () => ((await h.admin.get({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name: 'big' }, { as }).catch(() => undefined)) ? true : undefined), 'the Role in force');
    const admin = await h.query<ClaimDiagnosis>('diagnosis', { namespace: ns, name: 'big' });

    const first = await madeDuring(async () => expect(await h.query('diagnosis', { namespace: ns, name: 'big' }, user(name))).toEqual(admin));
    expect(first.filter((r) => r.includes(REVIEW_PATH))).toHaveLength(5);
    const next = await madeDuring(async () => {
      for (let i = 0; i < 5; i++) expect(await h.query('diagnosis', { namespace: ns, name: 'big' }, user(name))).toEqual(admin);
    });
    expect(next.filter((r) => r.includes(REVIEW_PATH))).toEqual([]);
    expect([...first, ...next].filter((r) => r.includes(PV_PATH) || r.includes('/persistentvolumeclaims'))).toEqual([]);

    await h.admin.delete({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name });
    const refused = await eventually(async () => {
      const r = await h.query('diagnosis', { namespace: ns, name: 'big' }, user(name));
      return r.ok ? undefined : r;
    }, `Forbidden within the ${TTL_SECONDS} s TTL and RBAC's own propagation`, 20_000);
    expect(refused).toEqual({ ok: false, error: { code: 'Forbidden', message: `persistentvolumes is forbidden: User "${name}" cannot list resource "persistentvolumes" in API group "" at the cluster scope` } });
  }, 60_000);
});
