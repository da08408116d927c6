import {
  buildLocalPathVolume, decideLocalPathReclaim, decideProvisioning, locateLocalPathVolume, provisioningEvent, provisioningFailedEvent,
  provisioningSucceededEvent,
} from './local-path.provisioner';
import { pv, pvc, sc } from './storage.fixtures';
import { diagnoseClaim } from './claim.diagnosis';
import { prepareClaim, prepareVolume, mismatchReasons } from './volume.matcher';

const SELECTED = 'volume.kubernetes.io/selected-node';
const localPath = sc('local-path', { provisioner: 'bosun.dev/local-path', mode: 'WaitForFirstConsumer', expansion: true });
const claim = (o: Parameters<typeof pvc>[1] = {}) =>
  pvc('data', { className: 'local-path', modes: ['ReadWriteOnce'], size: '2Gi', uid: '5f0c-11', annotations: { [SELECTED]: 'node-1' }, ...o });

describe('decideProvisioning: which claims the local-path provisioner takes', () => {
  it('a Pending claim of its class with a selected node: provision pvc-<uid> on that node', () => {
    expect(decideProvisioning(claim(), [localPath])).toEqual({ action: 'provision', storageClass: localPath, node: 'node-1', volumeName: 'pvc-5f0c-11' });
  });

  it.each<[string, ReturnType<typeof claim>, string]>([
    ['another provisioner’s class', claim({ className: 'nfs' }), 'StorageClass "nfs" belongs to provisioner example.com/external-nfs'],
    ['a class that does not exist', claim({ className: 'gone' }), 'storageclass.storage.k8s.io "gone" not found'],
    ['no class', claim({ className: '' }), 'the claim has no StorageClass'],
    ['already has a volume', claim({ volumeName: 'pv-1' }), 'the claim already has volume "pv-1"'],
    ['WaitForFirstConsumer without a selected node yet', claim({ annotations: {} }), 'waiting for the first consumer: no volume.kubernetes.io/selected-node annotation yet'],
  ])('skip: %s', (_, c, reason) => {
    expect(decideProvisioning(c, [localPath, sc('nfs')])).toEqual({ action: 'skip', reason });
  });

  it('skip: its volume already exists (a retry after a crash)', () => {
    expect(decideProvisioning(claim(), [localPath], new Set(['pvc-5f0c-11']))).toEqual({ action: 'skip', reason: 'volume "pvc-5f0c-11" already exists' });
  });

  it.each<[string, ReturnType<typeof claim>, typeof localPath, string]>([
    ['Immediate binding has no node to put it on', claim({ annotations: {} }), { ...localPath, volumeBindingMode: 'Immediate' }, 'configuration error, no node was specified'],
    ['a selector', claim({ selector: { matchLabels: { a: 'b' } } }), localPath, 'claim.Spec.Selector is not supported'],
    ['ReadWriteMany', claim({ modes: ['ReadWriteMany'] }), localPath, 'NodePath only supports ReadWriteOnce and ReadWriteOncePod (1.22+) access modes'],
    ['Block', claim({ volumeMode: 'Block' }), localPath, 'volumeMode Block is not supported: local-path volumes are directories'],
  ])('fail (ProvisioningFailed): %s', (_, c, cls, message) => {
    expect(decideProvisioning(c, [cls])).toEqual({ action: 'fail', message });
  });

  it('ReadWriteOncePod is a single-node mode too', () => {
    expect(decideProvisioning(claim({ modes: ['ReadWriteOncePod'] }), [localPath]).action).toBe('provision');
  });
});

describe('buildLocalPathVolume', () => {
  const node = { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } };

  it('the PV rancher’s provisioner would make, with a DirectoryOrCreate path and Delete by default', () => {
    expect(buildLocalPathVolume(claim(), localPath, node, '/var/lib/bosun/local-path/')).toEqual({
      apiVersion: 'v1', kind: 'PersistentVolume',
      metadata: { name: 'pvc-5f0c-11', annotations: { 'pv.kubernetes.io/provisioned-by': 'bosun.dev/local-path' } },
      spec: {
        capacity: { storage: '2Gi' }, accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem', storageClassName: 'local-path',
        persistentVolumeReclaimPolicy: 'Delete',
        hostPath: { path: '/var/lib/bosun/local-path/pvc-5f0c-11_default_data', type: 'DirectoryOrCreate' },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-1'] }] }] } },
        claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: 'default', name: 'data', uid: '5f0c-11' },
      },
    });
  });

  it('the class’s reclaim policy wins; the hostname label when it differs from the node name', () => {
    const volume = buildLocalPathVolume(claim(), { ...localPath, reclaimPolicy: 'Retain' }, { name: 'ip-10-0-0-1', labels: { 'kubernetes.io/hostname': 'worker-a' } });
    expect(volume.spec?.persistentVolumeReclaimPolicy).toBe('Retain');
    expect(volume.spec?.nodeAffinity?.required?.nodeSelectorTerms[0].matchExpressions?.[0].values).toEqual(['worker-a']);
    expect(volume.spec?.hostPath?.path).toBe('/opt/local-path-provisioner/pvc-5f0c-11_default_data');
  });

  it('the new PV binds its claim, on its node only', () => {
    const volume = { ...buildLocalPathVolume(claim(), localPath, node), status: { phase: 'Bound' } };
    const prepared = prepareVolume(volume);
    expect(mismatchReasons(prepareClaim(claim()), prepared, { node })).toEqual([]);
    expect(mismatchReasons(prepareClaim(claim()), prepared, { node: { name: 'node-2', labels: { 'kubernetes.io/hostname': 'node-2' } } })).toEqual([
      'node affinity does not admit node "node-2" (requires kubernetes.io/hostname In (node-1))',
    ]);
    expect(locateLocalPathVolume(volume)).toEqual({ path: '/opt/local-path-provisioner/pvc-5f0c-11_default_data', node: 'node-1' });
  });
});

describe('events in the external provisioner’s words', () => {
  it.each([
    [provisioningEvent(claim()), { type: 'Normal', reason: 'Provisioning', message: 'External provisioner is provisioning volume for claim "default/data"' }],
    [provisioningSucceededEvent('pvc-5f0c-11'), { type: 'Normal', reason: 'ProvisioningSucceeded', message: 'Successfully provisioned volume pvc-5f0c-11' }],
    [provisioningFailedEvent('local-path', 'configuration error, no node was specified'),
      { type: 'Warning', reason: 'ProvisioningFailed', message: 'failed to provision volume with StorageClass "local-path": configuration error, no node was specified' }],
  ])('%#', (event, expected) => expect(event).toEqual(expected));

  it('the diagnosis quotes a ProvisioningFailed event it emitted', () => {
    const failed = provisioningFailedEvent('local-path', 'claim.Spec.Selector is not supported');
    const events = [{ ...failed, metadata: { name: 'data.1' }, involvedObject: { kind: 'PersistentVolumeClaim', namespace: 'default', name: 'data' } }];
    const d = diagnoseClaim({ claim: claim(), classes: [localPath], events });
    expect(d.causes[0]).toMatchObject({ code: 'ProvisioningFailed', message: 'failed to provision volume with StorageClass "local-path": claim.Spec.Selector is not supported' });
  });
});

describe('decideLocalPathReclaim', () => {
  const ours = (o: Parameters<typeof pv>[1]) => pv('pvc-1', { annotations: { 'pv.kubernetes.io/provisioned-by': 'bosun.dev/local-path' }, node: 'node-1', ...o });
  it.each<[string, ReturnType<typeof pv>, unknown]>([
    ['Released + Delete: remove the directory on its node, then the PV', ours({ phase: 'Released', reclaim: 'Delete' }), { action: 'delete', path: '/home/pvc-1', node: 'node-1' }],
    ['Released + Retain keeps it (Released, data kept)', ours({ phase: 'Released', reclaim: 'Retain' }), { action: 'keep', reason: 'reclaim policy Retain keeps it' }],
    ['Bound', ours({ phase: 'Bound', reclaim: 'Delete' }), { action: 'keep', reason: 'phase Bound, not Released' }],
    ['not ours', pv('x', { phase: 'Released', reclaim: 'Delete' }), { action: 'keep', reason: 'not provisioned by bosun.dev/local-path' }],
  ])('%s', (_, volume, expected) => expect(decideLocalPathReclaim(volume)).toEqual(expected));
});
