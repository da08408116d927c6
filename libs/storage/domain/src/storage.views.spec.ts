import { buildLocalPathVolume } from './local-path.provisioner';
import { pv, pvc, sc } from './storage.fixtures';
import { toClaimView, toStorageClassViews, toVolumeView } from './storage.views';
import { prepareVolumesReusing } from './volume.matcher';

describe('views', () => {
  it('classes: default only for the one effective default, API defaults filled in', () => {
    expect(toStorageClassViews([sc('standard', { isDefault: 'true' }), sc('gold')])).toEqual([
      { name: 'gold', provisioner: 'example.com/external-nfs', reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate', allowVolumeExpansion: false, default: false },
      { name: 'standard', provisioner: 'example.com/external-nfs', reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate', allowVolumeExpansion: false, default: true },
    ]);
    expect(toStorageClassViews([sc('a', { isDefault: 'true' }), sc('b', { isDefault: 'true' })]).map((v) => v.default)).toEqual([false, false]);
  });

  it('a volume, with its claim and, for a local-path one, its node', () => {
    expect(toVolumeView(pv('pv-hostpath', { phase: 'Bound', claimRef: { name: 'pvc-hostpath', uid: 'u' } }))).toEqual({
      name: 'pv-hostpath', capacity: '1Gi', accessModes: ['ReadWriteMany'], storageClassName: 'node-local', reclaimPolicy: 'Retain',
      phase: 'Bound', claim: 'default/pvc-hostpath', hostPath: '/home/pv-hostpath',
    });
    const local = buildLocalPathVolume(pvc('d', { uid: 'x' }), sc('local-path', { provisioner: 'bosun.dev/local-path' }), { name: 'node-1' });
    expect(toVolumeView(local).node).toBe('node-1');
  });

  it('a claim', () => {
    expect(toClaimView({ ...pvc('c', { phase: 'Bound', volumeName: 'v' }), status: { phase: 'Bound', capacity: { storage: '1Gi' } } })).toEqual({
      namespace: 'default', name: 'c', phase: 'Bound', size: '500Mi', capacity: '1Gi', accessModes: ['ReadWriteMany'], storageClassName: 'node-local', boundTo: 'v',
    });
    expect(toClaimView(pvc('c', { className: null })).storageClassName).toBeUndefined();
  });
});

describe('prepareVolumesReusing', () => {
  it('reuses unchanged volumes (same object or same resourceVersion) and prepares changed ones', () => {
    const a = { ...pv('a'), metadata: { name: 'a', resourceVersion: '1' } };
    const b = { ...pv('b'), metadata: { name: 'b', resourceVersion: '7' } };
    const first = prepareVolumesReusing([a, b]);
    const bAgain = { ...b, metadata: { name: 'b', resourceVersion: '7' } };
    const bChanged = { ...b, metadata: { name: 'b', resourceVersion: '8' }, spec: { ...b.spec, capacity: { storage: '2Gi' } } };
    const second = prepareVolumesReusing([a, bAgain], first);
    expect(second[0]).toBe(first[0]);
    expect(second[1]).toBe(first[1]);
    const third = prepareVolumesReusing([a, bChanged], first);
    expect(third[1]).not.toBe(first[1]);
    expect(third[1].capacityText).toBe('2Gi');
  });
});
