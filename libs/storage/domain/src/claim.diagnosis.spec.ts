import { HINTS } from './claim.hints';
import { diagnoseClaim, diagnosisReads, type DiagnosisInput } from './claim.diagnosis';
import { claimEvent, pod, pv, pvc, sc } from './storage.fixtures';
import fc from 'fast-check';
import { findMatchingVolume, prepareClaim, prepareVolumes } from './volume.matcher';

const diagnose = (input: Partial<DiagnosisInput> & Pick<DiagnosisInput, 'claim'>): ReturnType<typeof diagnoseClaim> => diagnoseClaim(input);

describe('diagnoseClaim: candidates', () => {
  it('the seed: a 5000Gi claim against the 1Gi pv-hostpath, class node-local missing (004:3150-3173)', () => {
    const d = diagnose({ claim: pvc('pvc-hostpath', { size: '5000Gi' }), volumes: [pv('pv-hostpath')] });
    expect(d.phase).toBe('Pending');
    expect(d.boundTo).toBeUndefined();
    expect(d.candidates).toEqual([{ volume: 'pv-hostpath', matches: false, reasons: ['capacity 1Gi < requested 5000Gi'] }]);
    expect(d.causes).toEqual([
      { code: 'StorageClassNotFound', message: 'storageclass.storage.k8s.io "node-local" not found', hint: HINTS.StorageClassNotFound },
      {
        code: 'NoMatchingVolume',
        message: 'no persistent volume of class "node-local" matches the claim; closest is "pv-hostpath" (capacity 1Gi < requested 5000Gi)',
        hint: HINTS.NoMatchingVolume,
      },
    ]);
    expect(d.hint).toBe(HINTS.StorageClassNotFound);
  });

  it('once the PV is big enough it matches although the class does not exist (004:3173)', () => {
    const d = diagnose({ claim: pvc('pvc-hostpath', { size: '500Mi' }), volumes: [pv('pv-hostpath', { capacity: '1Ti' })] });
    expect(d.candidates).toEqual([{ volume: 'pv-hostpath', matches: true, reasons: [] }]);
    expect(d.causes).toEqual([]);
    expect(d.hint).toBe('volume "pv-hostpath" matches: the PV controller binds it on its next sync (about every 15 s)');
  });

  it('matching volumes come first in the controller’s order, then the others by fewest reasons', () => {
    const d = diagnose({
      claim: pvc('c', { size: '2Gi', modes: ['ReadWriteOnce'] }),
      volumes: [
        pv('far', { capacity: '1Gi', modes: ['ReadOnlyMany'], className: 'x' }),
        pv('near', { capacity: '1Gi', modes: ['ReadWriteOnce'] }),
        pv('big', { capacity: '10Gi', modes: ['ReadWriteOnce'] }),
        pv('fit', { capacity: '2Gi', modes: ['ReadWriteOnce'] }),
      ],
    });
    expect(d.candidates.map((c) => [c.volume, c.matches, c.reasons.length])).toEqual([
      ['fit', true, 0], ['big', true, 0], ['near', false, 1], ['far', false, 3],
    ]);
  });

  it('accepts volumes prepared once and reused', () => {
    const prepared = prepareVolumes([pv('v')]);
    expect(diagnose({ claim: pvc('c'), prepared, classes: [sc('node-local')] }).candidates[0].matches).toBe(true);
  });

  it('Bound: says where, no candidates', () => {
    expect(diagnose({ claim: pvc('c', { phase: 'Bound', volumeName: 'pv-1' }) })).toEqual({
      phase: 'Bound', boundTo: 'pv-1', candidates: [], hint: 'bound to volume "pv-1"', causes: [],
    });
  });

  it.each([
    [undefined, [], 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!'],
    ['gone', [], 'Bound claim has lost its PersistentVolume. Data on the volume is lost!'],
    ['taken', [pv('taken', { phase: 'Bound', claimRef: { name: 'other', uid: 'u' } })], 'Two claims are bound to the same volume, this one is bound incorrectly'],
  ])('Lost (volumeName %s): the controller’s ClaimLost words', (volumeName, volumes, message) => {
    const d = diagnose({ claim: pvc('c', { phase: 'Lost', volumeName }), volumes });
    expect(d.causes).toEqual([{ code: 'ClaimLost', message, hint: HINTS.ClaimLost }]);
  });
});

describe('diagnoseClaim: claim-level causes, each with its hint', () => {
  const tooSmall = [pv('small', { capacity: '100Mi', className: '' })];

  it.each<[string, DiagnosisInput, string, string]>([
    ['class missing (004:3160-3173)', { claim: pvc('c', { className: 'node-local' }), classes: [] },
      'StorageClassNotFound', 'storageclass.storage.k8s.io "node-local" not found'],
    ['no storageClassName and no default class', { claim: pvc('c', { className: null }), classes: [sc('standard')] },
      'NoDefaultStorageClass', 'the claim names no storageClassName and the cluster has no default StorageClass'],
    ['two defaults behave like none (000:4411-4446)',
      { claim: pvc('c', { className: null }), classes: [sc('gold', { isDefault: 'true' }), sc('standard', { isDefault: 'true' })] },
      'MultipleDefaultStorageClasses', '2 StorageClasses are marked default (gold, standard), which behaves like none'],
    ['no storageClassName, one default: the controller assigns it (retroactive default, upstream 1.28+)',
      { claim: pvc('c', { className: null }), classes: [sc('standard', { isDefault: 'true' })] },
      'DefaultClassUnassigned', 'the claim names no storageClassName; the PV controller assigns the default class "standard" to it'],
    ['WaitForFirstConsumer, no pod yet (004:3378)',
      { claim: pvc('c', { className: 'sc-hostpath' }), classes: [sc('sc-hostpath', { provisioner: 'kubernetes.io/no-provisioner', mode: 'WaitForFirstConsumer' })] },
      'WaitForFirstConsumer', 'waiting for first consumer to be created before binding'],
    ['WaitForFirstConsumer, the pod is not scheduled yet',
      { claim: pvc('c', { className: 'wffc' }), classes: [sc('wffc', { mode: 'WaitForFirstConsumer' })], pods: [pod('web-0', ['c'])] },
      'WaitForPodScheduled', 'waiting for pod web-0 to be scheduled'],
    ['WaitForFirstConsumer, two pods wait',
      { claim: pvc('c', { className: 'wffc' }), classes: [sc('wffc', { mode: 'WaitForFirstConsumer' })], pods: [pod('a', ['c']), pod('b', ['c']), pod('done', ['c'], { phase: 'Succeeded' })] },
      'WaitForPodScheduled', 'waiting for pods a,b to be scheduled'],
    ['provisioning failed: the newest event’s words',
      {
        claim: pvc('c', { className: 'ssd' }), classes: [sc('ssd', { provisioner: 'ebs.csi.aws.com' })],
        events: [
          claimEvent('c', 'ProvisioningFailed', 'old words', '2026-12-01T09:00:00Z'),
          claimEvent('c', 'ProvisioningFailed', 'failed to provision volume with StorageClass "ssd": rpc error: code = ResourceExhausted desc = Not enough disk space', '2026-12-01T10:00:00Z'),
          claimEvent('other', 'ProvisioningFailed', 'not this claim', '2026-12-01T11:00:00Z'),
        ],
      },
      'ProvisioningFailed', 'failed to provision volume with StorageClass "ssd": rpc error: code = ResourceExhausted desc = Not enough disk space'],
    ['waiting for an external provisioner',
      { claim: pvc('c', { className: 'nfs' }), classes: [sc('nfs', { provisioner: 'example.com/external-nfs' })] },
      'ExternalProvisioning', "Waiting for a volume to be created either by the external provisioner 'example.com/external-nfs' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered."],
    ['kubernetes.io/no-provisioner, Immediate, nothing fits (004:3286-3314)',
      { claim: pvc('c', { className: 'manual' }), classes: [sc('manual', { provisioner: 'kubernetes.io/no-provisioner' })] },
      'NoProvisioner', 'StorageClass "manual" uses kubernetes.io/no-provisioner: volumes of this class are created by hand'],
    ['class "" and nothing fits: the controller’s FailedBinding words', { claim: pvc('c', { className: '' }), volumes: tooSmall },
      'NoMatchingVolume', 'no persistent volumes available for this claim and no storage class is set; closest is "small" (capacity 100Mi < requested 500Mi)'],
    ['no volumes at all', { claim: pvc('c', { className: '' }) },
      'NoMatchingVolume', 'no persistent volumes available for this claim and no storage class is set; there are no persistent volumes'],
    ['spec.volumeName names a missing volume', { claim: pvc('c', { volumeName: 'gone' }), volumes: tooSmall },
      'VolumeNotFound', 'volume "gone" requested by spec.volumeName not found'],
    ['spec.volumeName names a volume another claim holds', { claim: pvc('c', { volumeName: 'held' }), volumes: [pv('held', { phase: 'Bound', claimRef: { name: 'x', uid: 'u' } })] },
      'VolumeTaken', 'volume "held" already bound to a different claim.'],
    ['spec.volumeName names a volume that does not fit', { claim: pvc('c', { volumeName: 'small', size: '1Gi' }), volumes: tooSmall },
      'VolumeMismatch', 'Cannot bind to requested volume "small": storageClassName "" ≠ "node-local"; capacity 100Mi < requested 1Gi'],
    ['a claim not yet created over quota (000:5197-5276)',
      {
        claim: pvc('pvc-quota-demo-2', { uid: null, className: '', size: '4Gi' }), volumes: [pv('fits', { className: '', capacity: '4Gi' })],
        quotas: [{ metadata: { name: 'object-quota-demo' }, spec: { hard: { persistentvolumeclaims: '1' } }, status: { hard: { persistentvolumeclaims: '1' }, used: { persistentvolumeclaims: '1' } } }],
      },
      'QuotaExceeded', 'persistentvolumeclaims "pvc-quota-demo-2" is forbidden: exceeded quota: object-quota-demo, requested: persistentvolumeclaims=1, used: persistentvolumeclaims=1, limited: persistentvolumeclaims=1'],
    ['a claim not yet created above the LimitRange maximum (000:5576-5610)',
      {
        claim: pvc('big', { uid: null, className: '', size: '10Gi' }), volumes: [pv('fits', { className: '', capacity: '10Gi' })],
        limitRanges: [{ metadata: { name: 'storagelimits' }, spec: { limits: [{ type: 'PersistentVolumeClaim', max: { storage: '2Gi' }, min: { storage: '1Gi' } }] } }],
      },
      'LimitRangeMaximum', 'persistentvolumeclaims "big" is forbidden: maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 10Gi'],
  ])('%s', (_, input, code, message) => {
    const d = diagnoseClaim(input);
    expect(d.causes[0]).toEqual({ code, message, hint: HINTS[code as keyof typeof HINTS] });
    expect(d.hint).toBe(HINTS[code as keyof typeof HINTS]);
    expect(d.hint.length).toBeGreaterThan(20);
  });

  it('a claim not yet created without a class counts against the default class’s quota keys', () => {
    const quotas = [{ metadata: { name: 'gold' }, status: { hard: { 'gold.storageclass.storage.k8s.io/persistentvolumeclaims': '0' }, used: {} } }];
    const d = diagnose({ claim: pvc('c', { uid: null, className: null }), classes: [sc('gold', { isDefault: 'true' })], quotas });
    expect(d.causes[0].message).toBe('persistentvolumeclaims "c" is forbidden: exceeded quota: gold, requested: gold.storageclass.storage.k8s.io/persistentvolumeclaims=1, used: gold.storageclass.storage.k8s.io/persistentvolumeclaims=0, limited: gold.storageclass.storage.k8s.io/persistentvolumeclaims=0');
  });

  it('an existing claim is not checked against quota: admission already let it in', () => {
    const quotas = [{ metadata: { name: 'q' }, status: { hard: { persistentvolumeclaims: '1' }, used: { persistentvolumeclaims: '1' } } }];
    expect(diagnose({ claim: pvc('c'), volumes: [pv('v')], quotas }).causes).toEqual([]);
  });

  it('one default class: an unset class compares as "" and the controller assigns the default later, no cause from the class', () => {
    const d = diagnose({ claim: pvc('c', { className: null }), classes: [sc('standard', { isDefault: 'true' })], volumes: [pv('v', { className: '' })] });
    expect(d.causes).toEqual([]);
    expect(d.candidates[0].matches).toBe(true);
  });

  it('WaitForFirstConsumer with the selected node: volumes are matched against that node', () => {
    const classes = [sc('local', { provisioner: 'kubernetes.io/no-provisioner', mode: 'WaitForFirstConsumer' })];
    const volumes = [pv('on-a', { className: 'local', node: 'node-a' }), pv('on-b', { className: 'local', node: 'node-b' })];
    const claim = pvc('c', { className: 'local', annotations: { 'volume.kubernetes.io/selected-node': 'node-b' } });
    const nodes = [{ metadata: { name: 'node-b', labels: { 'kubernetes.io/hostname': 'node-b' } } }];
    const d = diagnose({ claim, classes, volumes, nodes });
    expect(d.candidates).toEqual([
      { volume: 'on-b', matches: true, reasons: [] },
      { volume: 'on-a', matches: false, reasons: ['node affinity does not admit node "node-b" (requires kubernetes.io/hostname In (node-a))'] },
    ]);
    expect(d.hint).toBe('volume "on-b" matches on node "node-b": the scheduler binds it as the pod starts');
  });

  it('WaitForFirstConsumer with a matching volume but no pod: still waits for the consumer', () => {
    const classes = [sc('local', { provisioner: 'kubernetes.io/no-provisioner', mode: 'WaitForFirstConsumer' })];
    const d = diagnose({ claim: pvc('c', { className: 'local' }), classes, volumes: [pv('v', { className: 'local' })] });
    expect(d.candidates[0].matches).toBe(true);
    expect(d.causes.map((c) => c.code)).toEqual(['WaitForFirstConsumer']);
  });
});

describe('diagnoseClaim: properties', () => {
  const volume = fc.record({
    capacity: fc.constantFrom('500Mi', '1Gi', '2Gi', '1G', '10Gi'),
    modes: fc.subarray(['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany'], { minLength: 1 }),
    className: fc.constantFrom('a', ''),
    phase: fc.constantFrom('Available', 'Released'),
  });
  const volumes = fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-z]{1,5}$/), volume), { selector: ([n]) => n, maxLength: 20 })
    .map((vs) => vs.map(([n, o]) => pv(n, { ...o, claimRef: o.phase === 'Released' ? { name: 'gone', uid: 'g' } : undefined })));
  const claim = fc.record({ size: fc.constantFrom('1Gi', '2Gi', '5Gi'), modes: fc.subarray(['ReadWriteOnce', 'ReadWriteMany'], { minLength: 1 }), className: fc.constantFrom('a', '') })
    .map((o) => pvc('c', o));

  it('matches ⇔ no reasons; the first candidate is the volume the controller would bind; a match means no cause', () => {
    fc.assert(fc.property(claim, volumes, (c, vs) => {
      const d = diagnose({ claim: c, volumes: vs, classes: [sc('a', { provisioner: 'kubernetes.io/no-provisioner' })] });
      for (const cand of d.candidates) expect(cand.matches).toBe(cand.reasons.length === 0);
      const best = findMatchingVolume(prepareClaim(c), prepareVolumes(vs));
      expect(d.candidates.find((x) => x.matches)?.volume).toBe(best?.name);
      expect(d.causes.length === 0).toBe(best !== undefined);
      expect(d.candidates).toHaveLength(vs.length);
    }));
  });
});

describe('diagnoseClaim: cost', () => {
  it('one claim among 1,000 volumes stays linear (well under the 20 ms benchmark goal here)', () => {
    const volumes = Array.from({ length: 1000 }, (_, i) =>
      pv(`pv-${String(i).padStart(4, '0')}`, { capacity: `${(i % 50) + 1}Gi`, modes: i % 3 ? ['ReadWriteOnce'] : ['ReadWriteMany'], className: i % 2 ? 'a' : 'b', phase: i % 5 ? 'Available' : 'Released', claimRef: i % 5 ? undefined : { name: `old-${i}`, uid: `u${i}` } }));
    const claim = pvc('c', { size: '40Gi', modes: ['ReadWriteOnce'], className: 'a' });
    diagnose({ claim, volumes });
    const times: number[] = [];
    for (let i = 0; i < 15; i++) {
      const start = performance.now();
      diagnose({ claim, volumes, classes: [sc('a')] });
      times.push(performance.now() - start);
    }
    times.sort((x, y) => x - y);
    expect(times[7]).toBeLessThan(100);
  });
});

describe('diagnosisReads: what a cache-backed caller must still read', () => {
  const wffc = sc('wffc', { provisioner: 'kubernetes.io/no-provisioner', mode: 'WaitForFirstConsumer' });
  const dynamic = sc('ssd', { provisioner: 'ebs.csi.aws.com' });
  const dynamicWffc = sc('lp', { provisioner: 'bosun.dev/local-path', mode: 'WaitForFirstConsumer' });
  const manual = sc('manual', { provisioner: 'kubernetes.io/no-provisioner' });
  const selected = { 'volume.kubernetes.io/selected-node': 'node-b' };

  it.each<[string, DiagnosisInput['claim'], ReturnType<typeof diagnosisReads>]>([
    ['Bound: nothing', pvc('c', { phase: 'Bound', volumeName: 'v' }), { pods: false, events: false }],
    ['a class without a provisioner, Immediate: nothing', pvc('c', { className: 'manual' }), { pods: false, events: false }],
    ['a missing class: nothing', pvc('c', { className: 'gone' }), { pods: false, events: false }],
    ['a dynamic provisioner: its events', pvc('c', { className: 'ssd' }), { pods: false, events: true }],
    ['WaitForFirstConsumer before scheduling: the pods', pvc('c', { className: 'lp' }), { pods: true, events: false }],
    ['WaitForFirstConsumer, scheduled, dynamic: the events and the node', pvc('c', { className: 'lp', annotations: selected }), { pods: false, events: true, node: 'node-b' }],
    ['WaitForFirstConsumer, scheduled, static: the node', pvc('c', { className: 'wffc', annotations: selected }), { pods: false, events: false, node: 'node-b' }],
    ['spec.volumeName: nothing but the node', pvc('c', { className: 'ssd', volumeName: 'v', annotations: selected }), { pods: false, events: false, node: 'node-b' }],
  ])('%s', (_, claim, reads) => {
    expect(diagnosisReads(claim, [wffc, dynamic, dynamicWffc, manual])).toEqual(reads);
  });

  it('leaving out what it says is not needed never changes the diagnosis', () => {
    const classes = [wffc, dynamic, dynamicWffc, manual];
    const nodes = [{ metadata: { name: 'node-b', labels: { 'kubernetes.io/hostname': 'host-b' } } }];
    const claimArb = fc.record({
      className: fc.constantFrom('wffc', 'ssd', 'lp', 'manual', 'gone', '', null),
      size: fc.constantFrom('1Gi', '5Gi'),
      phase: fc.constantFrom('Pending', 'Pending', 'Bound', 'Lost'),
      volumeName: fc.constantFrom(undefined, undefined, 'v-1'),
      scheduled: fc.boolean(),
    }).map((o) => pvc('c', { className: o.className, size: o.size, phase: o.phase, volumeName: o.volumeName, annotations: o.scheduled ? selected : undefined }));
    const volumesArb = fc.subarray([
      pv('v-1', { className: 'wffc', node: 'host-b' }), pv('v-2', { className: 'lp', capacity: '10Gi' }), pv('v-3', { className: 'manual' }),
      pv('v-4', { className: 'ssd', node: 'node-b', capacity: '10Gi' }),
    ]);
    fc.assert(fc.property(claimArb, volumesArb, (claim, volumes) => {
      const pods = [pod('web-0', ['c'])];
      const events = [claimEvent('c', 'ProvisioningFailed', 'failed to provision volume with StorageClass "ssd": disk full')];
      const full = diagnoseClaim({ claim, volumes, classes, pods, events, nodes });
      const reads = diagnosisReads(claim, classes);
      const lean = diagnoseClaim({
        claim, volumes, classes, pods: reads.pods ? pods : [], events: reads.events ? events : [], nodes: reads.node ? nodes : [],
      });
      expect(lean).toEqual(full);
    }), { numRuns: 300 });
  });
});
