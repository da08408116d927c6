import { planLocalPathExpansion } from './local-path.expansion';
import { buildLocalPathVolume } from './local-path.provisioner';
import { errorsOf, valueOf } from '@bosun/testing';
import { pvc, sc } from './storage.fixtures';

const localPath = sc('local-path', { provisioner: 'bosun.dev/local-path', mode: 'WaitForFirstConsumer', expansion: true });
const claim = {
  ...pvc('data', { className: 'local-path', modes: ['ReadWriteOnce'], size: '1Gi', uid: 'u1', phase: 'Bound', volumeName: 'pvc-u1' }),
  status: {
  phase: 'Bound', capacity: { storage: '1Gi' },
  conditions: [{ type: 'Resizing', status: 'True' }, { type: 'FileSystemResizePending', status: 'True' }, { type: 'ModifyingVolume', status: 'True' }],
  },
};
const volume = buildLocalPathVolume(claim, localPath, { name: 'node-1' });

describe('planLocalPathExpansion: as an external resizer would finish it', () => {
  it('new PV capacity, the claim’s status.capacity, and the resize conditions removed', () => {
    expect(valueOf(planLocalPathExpansion({ claim, volume, storageClass: localPath, size: '2048Mi' }))).toEqual({
      grows: true,
      size: '2Gi',
      claimPatch: { spec: { resources: { requests: { storage: '2Gi' } } } },
      volumePatch: { spec: { capacity: { storage: '2Gi' } } },
      claimStatusPatch: { status: { capacity: { storage: '2Gi' }, conditions: [{ type: 'ModifyingVolume', status: 'True' }], allocatedResourceStatuses: { storage: null } } },
    });
  });

  it('the same size: a plan that does not grow', () => {
    expect(valueOf(planLocalPathExpansion({ claim, volume, storageClass: localPath, size: '1Gi' })).grows).toBe(false);
  });

  it.each<[string, Parameters<typeof planLocalPathExpansion>[0], string]>([
    ['shrinking (004:3271)', { claim, volume, storageClass: localPath, size: '500Mi' }, 'a claim cannot shrink'],
    ['a class without allowVolumeExpansion', { claim, volume, storageClass: { ...localPath, allowVolumeExpansion: false }, size: '2Gi' }, 'must support resize'],
    ['a volume someone else provisioned', { claim, volume: { ...volume, metadata: { name: 'pvc-u1' } }, storageClass: localPath, size: '2Gi' },
      'volume "pvc-u1" was not provisioned by bosun.dev/local-path, so Bosun cannot resize it'],
    ['the volume is missing', { claim, storageClass: localPath, size: '2Gi' }, 'the claim\'s volume "pvc-u1" was not found'],
    ['over the storage quota', {
      claim, volume, storageClass: localPath, size: '10Gi',
      quotas: [{ metadata: { name: 'storagequota' }, status: { hard: { 'requests.storage': '5Gi' }, used: { 'requests.storage': '1Gi' } } }],
    }, 'exceeded quota: storagequota, requested: requests.storage=9Gi, used: requests.storage=1Gi, limited: requests.storage=5Gi'],
  ])('refused: %s', (_, input, message) => {
    const errors = errorsOf(planLocalPathExpansion(input));
    expect(errors).toEqual([{ path: 'size', message: expect.stringContaining(message) }]);
  });
});
