import { createLogger } from '@bosun/logging';
import type { KubeObject } from '@bosun/kube';
import { asPort, FakeKubePort } from '../testing/fake-kube.port';
import { localPathClass } from '../classes/local-path.class';
import { CLAIM_KIND, CLASS_KIND, NODE_KIND, VOLUME_KIND } from '../common/storage.repository';
import type { ClaimObject, ClassObject, Kube, VolumeObject } from '../common/storage.repository';
import type { Node } from '@bosun/storage-domain';
import { LocalPathReconciler } from './local-path.reconciler';

const logger = createLogger('test', 'silent');
const claim = (over: Record<string, unknown> = {}, annotations: Record<string, string> = {}): ClaimObject => ({
  apiVersion: 'v1', kind: 'PersistentVolumeClaim',
  metadata: { name: 'data', namespace: 'team', uid: 'u1', annotations },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'local-path', ...over },
  status: { phase: 'Pending' },
} as ClaimObject);
const node: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1' }, annotations: { 'kwok.x-k8s.io/node': 'fake' } } };

const setup = (...objs: KubeObject[]): { fake: FakeKubePort; r: LocalPathReconciler } => {
  const fake = new FakeKubePort().seed(localPathClass(true), node, ...objs);
  const port = asPort(fake);
  const caches = {
    claims: port.informer<ClaimObject>(CLAIM_KIND), volumes: port.informer<VolumeObject>(VOLUME_KIND), classes: port.informer<ClassObject>(CLASS_KIND),
    nodes: port.informer<Kube<Node>>(NODE_KIND),
  };
  return { fake, r: new LocalPathReconciler(port, caches, { namespace: 'kube-system', image: 'busybox', base: '/base', timeoutMs: 1000, pollMs: 10 }, 'me', logger) };
};
const reasons = (fake: FakeKubePort): string[] => fake.all('Event').map((e) => e.reason as string);

describe('LocalPathReconciler (fake port)', () => {
  it('waits for the scheduler\'s selected node; then makes the PV on it once, with upstream\'s events', async () => {
    const { fake, r } = setup();
    await r.claim(claim());
    expect(fake.all('PersistentVolume')).toEqual([]);
    const selected = claim({}, { 'volume.kubernetes.io/selected-node': 'n1' });
    await r.claim(selected);
    await r.claim(selected);
    const [pv] = fake.all('PersistentVolume') as VolumeObject[];
    expect(pv.metadata.name).toBe('pvc-u1');
    expect(pv.spec?.hostPath?.path).toBe('/base/pvc-u1_team_data');
    expect(pv.spec?.claimRef).toMatchObject({ namespace: 'team', name: 'data', uid: 'u1' });
    expect(fake.all('PersistentVolume')).toHaveLength(1);
    expect(reasons(fake)).toEqual(['Provisioning', 'ProvisioningSucceeded']);
    expect(fake.all('Event')[0]).toMatchObject({ reportingComponent: 'bosun.dev/local-path', reportingInstance: 'me', involvedObject: { kind: 'PersistentVolumeClaim', name: 'data', uid: 'u1' } });
  });

  it('on the way to the PV it reads nothing: the node from the cache, no GET of the volume first', async () => {
    const { fake, r } = setup();
    await r.claim(claim({}, { 'volume.kubernetes.io/selected-node': 'n1' }));
    expect(fake.all('PersistentVolume')).toHaveLength(1);
    expect(fake.reads).toEqual([]);
  });

  it('a node the cache does not have (yet) is read; one that does not exist fails the claim once', async () => {
    const { fake, r } = setup();
    fake.objects.delete('Node//n1');
    await fake.create({ ...node, metadata: { ...node.metadata, name: 'n2' } });
    const informer = asPort(fake).informer<Kube<Node>>(NODE_KIND);
    jest.spyOn(informer, 'get').mockReturnValue(undefined);
    await r.claim(claim({}, { 'volume.kubernetes.io/selected-node': 'n2' }));
    expect(fake.reads).toEqual(['get Node n2']);
    expect(fake.all('PersistentVolume')).toHaveLength(1);
    const { fake: other, r: r2 } = setup();
    await r2.claim(claim({}, { 'volume.kubernetes.io/selected-node': 'gone' }));
    expect(reasons(other)).toEqual(['ProvisioningFailed']);
    expect(other.all('Event')[0].message).toBe('failed to provision volume with StorageClass "local-path": nodes "gone" not found');
  });

  it('a volume another replica made already (AlreadyExists) is not made twice; nothing said twice', async () => {
    const { fake, r } = setup();
    const selected = claim({}, { 'volume.kubernetes.io/selected-node': 'n1' });
    await r.claim(selected);
    // A second reconciler (a new leader) whose volume cache has not seen the PV yet.
    const caches = { claims: asPort(fake).informer<ClaimObject>(CLAIM_KIND), volumes: { ...asPort(fake).informer<VolumeObject>(VOLUME_KIND), list: () => [] }, classes: asPort(fake).informer<ClassObject>(CLASS_KIND), nodes: asPort(fake).informer<Kube<Node>>(NODE_KIND) };
    const next = new LocalPathReconciler(asPort(fake), caches, { namespace: 'kube-system', image: 'busybox', base: '/base', timeoutMs: 1000, pollMs: 10 }, 'other', logger);
    await next.claim(selected);
    expect(fake.all('PersistentVolume')).toHaveLength(1);
    expect(reasons(fake).filter((x) => x === 'ProvisioningSucceeded')).toHaveLength(1);
  });

  it('records ProvisioningFailed once for a claim it cannot serve (ReadWriteMany)', async () => {
    const { fake, r } = setup();
    const rwx = claim({ accessModes: ['ReadWriteMany'] }, { 'volume.kubernetes.io/selected-node': 'n1' });
    await r.claim(rwx);
    await r.claim(rwx);
    expect(reasons(fake)).toEqual(['ProvisioningFailed']);
    expect(fake.all('Event')[0].message).toBe('failed to provision volume with StorageClass "local-path": NodePath only supports ReadWriteOnce and ReadWriteOncePod (1.22+) access modes');
  });

  it('leaves claims of other provisioners alone', async () => {
    const { fake, r } = setup();
    await r.claim(claim({ storageClassName: 'other' }, { 'volume.kubernetes.io/selected-node': 'n1' }));
    expect(fake.calls.filter((c) => c.startsWith('create'))).toEqual([]);
  });

  it('reclaims: a Released Delete volume is deleted, a Retain one kept', async () => {
    const pv = (name: string, policy: string): VolumeObject => ({
      apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name, uid: name, annotations: { 'pv.kubernetes.io/provisioned-by': 'bosun.dev/local-path' } },
      spec: { persistentVolumeReclaimPolicy: policy, hostPath: { path: `/base/${name}` }, nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n1'] }] }] } } },
      status: { phase: 'Released' },
    } as VolumeObject);
    const { fake, r } = setup(pv('gone', 'Delete'), pv('kept', 'Retain'));
    for (const v of fake.all('PersistentVolume') as VolumeObject[]) await r.volume(v);
    expect(fake.all('PersistentVolume').map((v) => v.metadata.name)).toEqual(['kept']);
    expect(fake.all('Event').map((e) => e.message)).toEqual(['Deleting volume gone at n1:/base/gone (directory not removed: the node is simulated (kwok) or gone)']);
    expect(fake.all('Pod')).toEqual([]);
  });

  it('resizes its own bound volume: PV capacity, then the claim\'s status through /status', async () => {
    const pv = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pvc-u1', annotations: { 'pv.kubernetes.io/provisioned-by': 'bosun.dev/local-path' } }, spec: { capacity: { storage: '1Gi' } }, status: { phase: 'Bound' } } as VolumeObject;
    const bound = { ...claim({ volumeName: 'pvc-u1', resources: { requests: { storage: '2Gi' } } }), status: { phase: 'Bound', capacity: { storage: '1Gi' }, conditions: [{ type: 'Resizing', status: 'True' }] } } as ClaimObject;
    const { fake, r } = setup(pv, bound);
    await r.claim(bound);
    expect((await fake.get<VolumeObject>({ apiVersion: 'v1', kind: 'PersistentVolume', name: 'pvc-u1' }))?.spec?.capacity?.storage).toBe('2Gi');
    const after = await fake.get<ClaimObject>({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: 'team', name: 'data' });
    expect(after?.status).toMatchObject({ capacity: { storage: '2Gi' }, conditions: [] });
    expect(fake.calls).toContain('patch-status PersistentVolumeClaim data');
    expect(reasons(fake)).toEqual(['Resizing', 'VolumeResizeSuccessful']);
  });
});
