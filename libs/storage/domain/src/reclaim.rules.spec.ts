import { isVolumeReleased, planRelease, reclaimOutcome } from './reclaim.rules';
import { errorsOf, valueOf } from '@bosun/testing';
import { buildClaimManifest, buildVolumeManifest, reclaimPolicyPatch } from './storage.manifest';
import { pv, pvc } from './storage.fixtures';

describe('reclaim: what happens to a volume when its claim goes', () => {
  it.each([
    ['Retain', 'Released'], // 004:3210, 000:4447-4477
    ['Delete', 'Deleted'], // not Available: 004:3210 is wrong, upstream deletes the PV
    ['Recycle', 'Recycled'],
    [undefined, 'Released'],
  ])('%s → %s', (policy, outcome) => {
    const volume = pv('v');
    volume.spec!.persistentVolumeReclaimPolicy = policy;
    expect(reclaimOutcome(volume).outcome).toBe(outcome);
  });

  it('the seed’s reclaim-policy patch body (000:4447-4477)', () => {
    expect(JSON.stringify(reclaimPolicyPatch('Retain'))).toBe('{"spec":{"persistentVolumeReclaimPolicy":"Retain"}}');
  });
});

describe('isVolumeReleased (upstream isVolumeReleased)', () => {
  const held = pv('v', { phase: 'Bound', claimRef: { name: 'c', uid: 'uid-c' } });
  it.each([
    ['the claim is gone', [], true],
    ['the claim exists with the same uid', [pvc('c', { volumeName: 'v' })], false],
    ['the claim was recreated (another uid)', [pvc('c', { uid: 'other', volumeName: 'v' })], true],
    ['the claim is bound to another volume', [pvc('c', { volumeName: 'w' })], true],
  ])('%s → %p', (_, claims, expected) => {
    expect(isVolumeReleased(held, claims)).toBe(expected);
  });

  it('a reservation (claimRef without uid) is not released', () => {
    expect(isVolumeReleased(pv('v', { claimRef: { name: 'later' } }), [])).toBe(false);
  });
});

describe('planRelease: a Released volume becomes Available (004:3210-3212)', () => {
  it('removes spec.claimRef, guarded by a test of its uid, and the controller’s annotation', () => {
    const released = pv('pv-hostpath', { phase: 'Released', claimRef: { name: 'pvc-hostpath', uid: 'u1' }, annotations: { 'pv.kubernetes.io/bound-by-controller': 'yes' } });
    expect(valueOf(planRelease(released, []))).toEqual({
      jsonPatch: [
        { op: 'test', path: '/spec/claimRef/uid', value: 'u1' },
        { op: 'remove', path: '/spec/claimRef' },
        { op: 'remove', path: '/metadata/annotations/pv.kubernetes.io~1bound-by-controller' },
      ],
      mergePatch: { spec: { claimRef: null }, metadata: { annotations: { 'pv.kubernetes.io/bound-by-controller': null } } },
    });
  });

  it('a statically bound volume: only the claimRef goes', () => {
    expect(valueOf(planRelease(pv('v', { phase: 'Released', claimRef: { name: 'c', uid: 'u' } }), []))?.mergePatch).toEqual({ spec: { claimRef: null } });
  });

  it('an Available volume without claimRef: nothing to do', () => {
    expect(valueOf(planRelease(pv('v'), []))).toBeNull();
  });

  it('refused while its claim holds it (one PV, one claim: 004:3208)', () => {
    const bound = pv('v', { phase: 'Bound', claimRef: { name: 'c', uid: 'uid-c' } });
    expect(errorsOf(planRelease(bound, [pvc('c', { volumeName: 'v', phase: 'Bound' })]))).toEqual([
      { path: 'name', message: 'volume "v" is bound to claim default/c: delete the claim first, then release it' },
    ]);
  });
});

describe('manifests', () => {
  it('a static volume: Retain by default, the seed’s hostPath, a reservation (004:3251-3261)', () => {
    expect(buildVolumeManifest({
      name: 'foo-pv', capacity: '1Gi', accessModes: ['ReadWriteMany'], storageClassName: '', hostPath: { path: '/home/host-pv-dir' }, claimRef: { namespace: 'foo', name: 'foo-pvc' },
    })).toEqual({
      apiVersion: 'v1', kind: 'PersistentVolume',
      metadata: { name: 'foo-pv', labels: { 'app.kubernetes.io/managed-by': 'bosun' } },
      spec: {
        capacity: { storage: '1Gi' }, accessModes: ['ReadWriteMany'], storageClassName: '', persistentVolumeReclaimPolicy: 'Retain',
        volumeMode: 'Filesystem', hostPath: { path: '/home/host-pv-dir', type: 'DirectoryOrCreate' },
        claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: 'foo', name: 'foo-pvc' },
      },
    });
  });

  it('a static volume without hostPath gets one under the base directory', () => {
    expect(buildVolumeManifest({ name: 'v', capacity: '1Gi', accessModes: ['ReadWriteOnce'], storageClassName: 'x', reclaimPolicy: 'Delete' }, '/srv').spec).toMatchObject({
      hostPath: { path: '/srv/v', type: 'DirectoryOrCreate' }, persistentVolumeReclaimPolicy: 'Delete',
    });
  });

  it('a claim without storageClassName leaves it out (admission sets the default); "" stays', () => {
    const base = { namespace: 'default', name: 'c', size: '1Gi', accessModes: ['ReadWriteOnce'] as ['ReadWriteOnce'] };
    expect(buildClaimManifest(base).spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' });
    expect(buildClaimManifest({ ...base, storageClassName: '' }).spec?.storageClassName).toBe('');
  });
});
