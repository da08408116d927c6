import type { ClusterRegistry, Identity, KubeObject } from '@bosun/kube';
import { createLogger } from '@bosun/logging';
import { DEFAULT_STORAGE_OPTIONS } from '../storage.options';
import { asPort, FakeKubePort } from '../testing/fake-kube.port';
import { ClaimDiagnoser } from './claim.diagnoser';
import { StorageCaches } from './storage.caches';

// The diagnosis from the caches on our own fake port (which answers access reviews from a rule):
// the order of refusals is the order of the reads it replaces, and only what the domain says can
// matter is read per call, as the asker. The real apiserver's answers: claim.diagnosis.int.ts.
const alice: Identity = { user: 'alice', groups: [] };
const sc = (name: string, extra: Record<string, unknown> = {}): KubeObject =>
  ({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'Immediate', ...extra });
const claim = (name: string, className: string): KubeObject => ({
  apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'team', uid: `uid-${name}` },
  spec: { accessModes: ['ReadWriteOnce'], storageClassName: className, resources: { requests: { storage: '5Gi' } } }, status: { phase: 'Pending' },
});
const pv: KubeObject = {
  apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'small' },
  spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], storageClassName: 'manual' }, status: { phase: 'Available' },
};

const setup = (): { fake: FakeKubePort; diagnoser: ClaimDiagnoser } => {
  const fake = new FakeKubePort().seed(sc('manual'), sc('lp', { provisioner: 'bosun.dev/local-path', volumeBindingMode: 'WaitForFirstConsumer' }), pv,
    claim('data', 'manual'), claim('waits', 'lp'));
  const registry = { resolve: async () => asPort(fake), defaultName: 'default' } as unknown as ClusterRegistry;
  const logger = createLogger('test', 'silent');
  return { fake, diagnoser: new ClaimDiagnoser(registry, new StorageCaches(registry), DEFAULT_STORAGE_OPTIONS, logger) };
};

describe('ClaimDiagnoser (fake port)', () => {
  it('answers from the caches, reading nothing per call for a class without a provisioner; the asker\'s reviews kept', async () => {
    const { fake, diagnoser } = setup();
    const d = await diagnoser.diagnoseNamed('default', alice, 'team', 'data');
    expect(d.candidates).toEqual([{ volume: 'small', matches: false, reasons: ['capacity 1Gi < requested 5Gi'] }]);
    expect(fake.reads).toEqual([]);
    expect(fake.reviews.map((r) => `${r.attributes.verb} ${r.attributes.resource}`).sort()).toEqual([
      'get persistentvolumeclaims', 'list events', 'list persistentvolumes', 'list pods', 'list storageclasses',
    ]);
    await diagnoser.diagnoseNamed('default', alice, 'team', 'data');
    expect(fake.reviews).toHaveLength(5);
  });

  it('a claim waiting for its first consumer: the namespace\'s pods are read, as the asker', async () => {
    const { fake, diagnoser } = setup();
    const d = await diagnoser.diagnoseNamed('default', alice, 'team', 'waits');
    expect(d.causes.map((c) => c.code)).toEqual(['WaitForFirstConsumer']);
    expect(fake.reads).toEqual(['list Pod team']);
  });

  it('refuses in the order of the reads it replaces: the claim\'s GET, then NotFound, then the lists', async () => {
    const { fake, diagnoser } = setup();
    fake.allows = (_as, a) => a.resource !== 'persistentvolumeclaims';
    await expect(diagnoser.diagnoseNamed('default', alice, 'team', 'data')).rejects.toMatchObject({
      reason: 'Forbidden', message: 'persistentvolumeclaims "data" is forbidden: User "alice" cannot get resource "persistentvolumeclaims" in API group "" in the namespace "team"',
    });
    const other = setup();
    other.fake.allows = (_as, a) => a.resource === 'persistentvolumeclaims';
    await expect(other.diagnoser.diagnoseNamed('default', alice, 'team', 'gone')).rejects.toMatchObject({ code: 'NotFound', message: 'persistentvolumeclaims "gone" not found' });
    await expect(other.diagnoser.diagnoseNamed('default', alice, 'team', 'data')).rejects.toMatchObject({
      reason: 'Forbidden', message: 'persistentvolumes is forbidden: User "alice" cannot list resource "persistentvolumes" in API group "" at the cluster scope',
    });
  });

  it('Bosun\'s own account (no asker) needs no review', async () => {
    const { fake, diagnoser } = setup();
    await diagnoser.diagnoseNamed('default', undefined, 'team', 'data');
    expect(fake.reviews).toEqual([]);
  });
});
