import fc from 'fast-check';
import { compareQuantities } from '@bosun/quantity';
import { pv, pvc } from './storage.fixtures';
import { findMatchingVolume, mismatchReasons, prepareClaim, prepareVolume, prepareVolumes } from './volume.matcher';
import type { PersistentVolume, PersistentVolumeClaim } from './kube-types';

const reasons = (claim: PersistentVolumeClaim, volume: PersistentVolume, node?: { name: string; labels?: Record<string, string> }): string[] =>
  mismatchReasons(prepareClaim(claim), prepareVolume(volume), { node });
const chosen = (claim: PersistentVolumeClaim, volumes: PersistentVolume[], ctx = {}): string | undefined =>
  findMatchingVolume(prepareClaim(claim), prepareVolumes(volumes), ctx)?.name;

describe('mismatchReasons: one rule per row, in plain words naming the values', () => {
  it.each<[string, PersistentVolumeClaim, PersistentVolume, string[]]>([
    ['the seed’s claim fits the seed’s volume (004:3140-3150)', pvc('pvc-hostpath'), pv('pv-hostpath'), []],
    ['request > capacity: 5000Gi against 1Gi (004:3150-3173)', pvc('pvc-hostpath', { size: '5000Gi' }), pv('pv-hostpath'), ['capacity 1Gi < requested 5000Gi']],
    ['capacity is exact: 1Gi = 1073741824 fits', pvc('c', { size: '1073741824' }), pv('v', { capacity: '1Gi' }), []],
    ['capacity is exact: 1G < 1Gi', pvc('c', { size: '1Gi' }), pv('v', { capacity: '1G' }), ['capacity 1G < requested 1Gi']],
    ['129M is more than 123Mi (000:5897-5898)', pvc('c', { size: '123Mi' }), pv('v', { capacity: '129M' }), []],
    ['a requested mode not offered (004:3125)', pvc('c', { modes: ['ReadWriteMany'] }), pv('v', { modes: ['ReadWriteOnce'] }),
      ['access mode ReadWriteMany not offered (offers ReadWriteOnce)']],
    ['every requested mode must be offered', pvc('c', { modes: ['ReadWriteOnce', 'ReadOnlyMany'] }), pv('v', { modes: ['ReadWriteOnce'] }),
      ['access mode ReadOnlyMany not offered (offers ReadWriteOnce)']],
    ['more modes offered than asked is fine', pvc('c', { modes: ['ReadWriteOnce'] }), pv('v', { modes: ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany'] }), []],
    ['different class', pvc('c', { className: 'slow' }), pv('v', { className: 'fast' }), ['storageClassName "fast" ≠ "slow"']],
    ['claim "" binds only class-less volumes', pvc('c', { className: '' }), pv('v', { className: 'fast' }), ['storageClassName "fast" ≠ ""']],
    ['unset class compares as "" (upstream GetPersistentVolumeClaimClass)', pvc('c', { className: null }), pv('v', { className: '' }), []],
    ['volumeMode defaults to Filesystem on both sides', pvc('c'), pv('v', { volumeMode: 'Filesystem' }), []],
    ['volumeMode Block against a Filesystem claim', pvc('c'), pv('v', { volumeMode: 'Block' }), ['volumeMode Block ≠ requested Filesystem']],
    ['a Released volume does not bind (004:3210-3212)', pvc('c'), pv('v', { phase: 'Released', claimRef: { name: 'old', uid: 'u-old' } }),
      ['Released: still refers to the deleted claim default/old (remove spec.claimRef to reuse it)']],
    ['a volume not yet Available does not bind', pvc('c'), pv('v', { phase: 'Pending' }), ['phase Pending, not Available']],
    ['a PV binds one claim (004:3182-3208)', pvc('pvc-hostpath-2'), pv('pv-hostpath', { phase: 'Bound', claimRef: { name: 'pvc-hostpath', uid: 'u1' } }),
      ['bound to claim default/pvc-hostpath']],
    ['a PV reserved for another claim is not a candidate (004:3251-3261)', pvc('c'), pv('foo-pv', { claimRef: { namespace: 'foo', name: 'foo-pvc' } }),
      ['reserved for claim foo/foo-pvc (spec.claimRef)']],
    ['a PV being deleted', pvc('c'), pv('v', { deleting: true }), ['volume is being deleted']],
    ['no capacity', pvc('c'), { ...pv('v'), spec: { ...pv('v').spec, capacity: {} } }, ['no capacity.storage']],
  ])('%s', (_, claim, volume, expected) => {
    expect(reasons(claim, volume)).toEqual(expected);
  });

  it('lists every reason at once, in a fixed order', () => {
    const claim = pvc('c', { size: '5Gi', modes: ['ReadWriteMany'], className: 'slow' });
    expect(reasons(claim, pv('v', { capacity: '1Gi', modes: ['ReadWriteOnce'], className: 'fast', volumeMode: 'Block' }))).toEqual([
      'storageClassName "fast" ≠ "slow"',
      'access mode ReadWriteMany not offered (offers ReadWriteOnce)',
      'capacity 1Gi < requested 5Gi',
      'volumeMode Block ≠ requested Filesystem',
    ]);
  });

  it.each<[string, NonNullable<Parameters<typeof pvc>[1]>['selector'], Record<string, string> | undefined, string[]]>([
    ['matchLabels met', { matchLabels: { app: 'db' } }, { app: 'db' }, []],
    ['matchLabels other value', { matchLabels: { app: 'db' } }, { app: 'web' }, ['selector app=db not satisfied (label app="web")']],
    ['matchLabels missing label', { matchLabels: { app: 'db' } }, undefined, ['selector app=db not satisfied (no label app)']],
    ['In', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['db', 'cache'] }] }, { tier: 'web' },
      ['selector tier In (db, cache) not satisfied (label tier="web")']],
    ['NotIn is met by a missing label', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }] }, {}, []],
    ['NotIn', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }] }, { tier: 'web' },
      ['selector tier NotIn (web) not satisfied (label tier="web")']],
    ['Exists', { matchExpressions: [{ key: 'ssd', operator: 'Exists' }] }, {}, ['selector ssd Exists not satisfied (no label ssd)']],
    ['DoesNotExist', { matchExpressions: [{ key: 'ssd', operator: 'DoesNotExist' }] }, { ssd: '' },
      ['selector ssd DoesNotExist not satisfied (label ssd="")']],
    ['labels and expressions are ANDed', { matchLabels: { app: 'db' }, matchExpressions: [{ key: 'ssd', operator: 'Exists' }] }, { app: 'db', ssd: 'y' }, []],
  ])('label selector: %s', (_, selector, labels, expected) => {
    expect(reasons(pvc('c', { selector }), pv('v', { labels }))).toEqual(expected);
  });

  it('node affinity is checked against the selected node (WaitForFirstConsumer)', () => {
    const local = pv('local-a', { node: 'node-a', modes: ['ReadWriteOnce'] });
    const claim = pvc('c', { modes: ['ReadWriteOnce'] });
    expect(reasons(claim, local, { name: 'node-a', labels: { 'kubernetes.io/hostname': 'node-a' } })).toEqual([]);
    expect(reasons(claim, local, { name: 'node-b', labels: { 'kubernetes.io/hostname': 'node-b' } })).toEqual([
      'node affinity does not admit node "node-b" (requires kubernetes.io/hostname In (node-a))',
    ]);
    expect(reasons(claim, local)).toEqual([]);
  });

  describe('pre-binding', () => {
    const reserved = pv('foo-pv', { className: '', claimRef: { namespace: 'foo', name: 'foo-pvc' }, labels: { x: 'y' } });

    it('a PV whose claimRef names the claim skips class, phase and selector (upstream FindMatchingVolume)', () => {
      const claim = pvc('foo-pvc', { namespace: 'foo', className: 'other', selector: { matchLabels: { x: 'z' } } });
      expect(reasons(claim, { ...reserved, status: { phase: 'Released' } })).toEqual([]);
    });

    it('but not capacity, access modes or volumeMode', () => {
      expect(reasons(pvc('foo-pvc', { namespace: 'foo', className: '', size: '2Gi' }), reserved)).toEqual(['capacity 1Gi < requested 2Gi']);
    });

    it('a claimRef with another uid is another claim (the old one was deleted and recreated)', () => {
      const held = pv('v', { claimRef: { name: 'c', uid: 'old-uid' }, phase: 'Bound' });
      expect(reasons(pvc('c', { uid: 'new-uid' }), held)).toEqual(['bound to claim default/c']);
    });

    it('spec.volumeName: only that volume is considered, class still checked (checkVolumeSatisfyClaim)', () => {
      const claim = pvc('c', { volumeName: 'wanted', className: 'slow' });
      expect(reasons(claim, pv('other'))).toEqual(['the claim asks for volume "wanted" (spec.volumeName)']);
      expect(reasons(claim, pv('wanted', { className: 'fast' }))).toEqual(['storageClassName "fast" ≠ "slow"']);
      expect(reasons(claim, pv('wanted', { className: 'slow', phase: 'Pending', labels: {} }))).toEqual([]);
    });

    it('claim and volume naming each other: the binding is finished as is (syncUnboundClaim)', () => {
      const claim = pvc('c', { volumeName: 'wanted', className: 'slow', size: '5Gi' });
      expect(reasons(claim, pv('wanted', { className: 'fast', phase: 'Bound', claimRef: { name: 'c', uid: 'uid-c' } }))).toEqual([]);
    });
  });
});

describe('findMatchingVolume', () => {
  const claim = pvc('c', { size: '2Gi', modes: ['ReadWriteOnce'], className: 'std' });
  const v = (name: string, capacity: string, modes = ['ReadWriteOnce']): PersistentVolume => pv(name, { capacity, modes, className: 'std' });

  it('the smallest fit wins', () => {
    expect(chosen(claim, [v('big', '10Gi'), v('small', '2Gi'), v('mid', '5Gi'), v('tiny', '1Gi')])).toBe('small');
  });

  it('ties are broken by name, whatever the order', () => {
    expect(chosen(claim, [v('b', '2Gi'), v('a', '2Gi')])).toBe('a');
    expect(chosen(claim, [v('a', '2Gi'), v('b', '2Gi')])).toBe('a');
  });

  it('the fewest access modes come first, as the controller’s access-mode index searches', () => {
    expect(chosen(claim, [v('rwo-big', '10Gi'), v('many-small', '2Gi', ['ReadWriteOnce', 'ReadOnlyMany'])])).toBe('rwo-big');
  });

  it('a PV pre-bound to the claim wins over a smaller free one', () => {
    const reserved = pv('reserved', { capacity: '8Gi', modes: ['ReadWriteOnce'], className: 'other', claimRef: { name: 'c' } });
    expect(chosen(claim, [v('small', '2Gi'), reserved])).toBe('reserved');
  });

  it('nothing matches: undefined', () => {
    expect(chosen(claim, [v('tiny', '1Gi'), pv('bound', { capacity: '5Gi', className: 'std', modes: ['ReadWriteOnce'], claimRef: { name: 'x', uid: 'u' } })])).toBeUndefined();
  });

  it('WaitForFirstConsumer without a node: the controller binds only pre-bound volumes', () => {
    expect(chosen(claim, [v('free', '2Gi')], { delayBinding: true })).toBeUndefined();
    expect(chosen(claim, [v('free', '2Gi')], { delayBinding: true, node: { name: 'n1' } })).toBe('free');
    expect(chosen(claim, [pv('mine', { capacity: '2Gi', modes: ['ReadWriteOnce'], claimRef: { name: 'c' } })], { delayBinding: true })).toBe('mine');
  });

  it('with a node, volumes pinned elsewhere are skipped', () => {
    const a = pv('on-a', { capacity: '2Gi', modes: ['ReadWriteOnce'], className: 'std', node: 'node-a' });
    const b = pv('on-b', { capacity: '3Gi', modes: ['ReadWriteOnce'], className: 'std', node: 'node-b' });
    expect(chosen(claim, [a, b], { node: { name: 'node-b', labels: { 'kubernetes.io/hostname': 'node-b' } } })).toBe('on-b');
  });

  it('spec.volumeName picks that volume or nothing', () => {
    const asking = pvc('c', { size: '2Gi', modes: ['ReadWriteOnce'], className: 'std', volumeName: 'big' });
    expect(chosen(asking, [v('small', '2Gi'), v('big', '10Gi')])).toBe('big');
    expect(chosen(asking, [v('small', '2Gi'), v('big', '1Gi')])).toBeUndefined();
  });
});

describe('properties', () => {
  const units = ['Mi', 'Gi', 'M', 'G', ''];
  const quantity = fc.tuple(fc.integer({ min: 1, max: 4096 }), fc.constantFrom(...units)).map(([n, u]) => `${n}${u}`);
  const modes = fc.subarray(['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany'], { minLength: 1 });
  const volume = fc.record({
    capacity: quantity, modes, className: fc.constantFrom('a', 'b'), phase: fc.constantFrom('Available', 'Available', 'Released', 'Bound'),
  });
  const volumes = fc.uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 6 }), volume), { selector: ([name]) => name, maxLength: 30 })
    .map((vs) => vs.map(([name, o]) => pv(name, { ...o, claimRef: o.phase === 'Available' ? undefined : { name: 'someone', uid: 'u' } })));
  const claim = fc.record({ size: quantity, modes, className: fc.constantFrom('a', 'b') }).map((o) => pvc('c', o));

  it('a volume matches exactly when it has no reasons, and the chosen one has none', () => {
    fc.assert(fc.property(claim, volumes, (c, vs) => {
      const pc = prepareClaim(c);
      const prepared = prepareVolumes(vs);
      const best = findMatchingVolume(pc, prepared);
      if (best) expect(mismatchReasons(pc, best)).toEqual([]);
      const anyMatch = prepared.some((p) => mismatchReasons(pc, p).length === 0);
      expect(best !== undefined).toBe(anyMatch);
    }));
  });

  it('the chosen volume is the smallest matching one among those with the fewest access modes', () => {
    fc.assert(fc.property(claim, volumes, (c, vs) => {
      const pc = prepareClaim(c);
      const prepared = prepareVolumes(vs);
      const best = findMatchingVolume(pc, prepared);
      if (!best) return;
      for (const other of prepared.filter((p) => mismatchReasons(pc, p).length === 0)) {
        expect(best.accessModes.length).toBeLessThanOrEqual(other.accessModes.length);
        if (other.accessModes.length === best.accessModes.length) expect(compareQuantities(best.capacity!, other.capacity!)).toBeLessThanOrEqual(0);
      }
    }));
  });

  it('the choice does not depend on the order of the volumes', () => {
    fc.assert(fc.property(claim, volumes, fc.integer(), (c, vs, seed) => {
      const shuffled = [...vs].sort((a, b) => ((a.metadata!.name!.charCodeAt(0) * seed) % 7) - ((b.metadata!.name!.charCodeAt(0) * seed) % 7));
      expect(chosen(c, shuffled)).toBe(chosen(c, vs));
    }));
  });

  it('a bigger request never turns a non-matching volume into a matching one', () => {
    fc.assert(fc.property(volumes, quantity, quantity, (vs, small, big) => {
      const [lo, hi] = compareQuantities(prepareClaim(pvc('c', { size: small })).request, prepareClaim(pvc('c', { size: big })).request) <= 0 ? [small, big] : [big, small];
      for (const v of prepareVolumes(vs)) {
        if (mismatchReasons(prepareClaim(pvc('c', { size: lo })), v).length > 0) {
          expect(mismatchReasons(prepareClaim(pvc('c', { size: hi })), v).length).toBeGreaterThan(0);
        }
      }
    }));
  });
});
