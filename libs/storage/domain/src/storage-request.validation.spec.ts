import {
  createClaimRequestSchema, createVolumeRequestSchema, expandClaimRequestSchema, patchVolumeRequestSchema, setDefaultClassRequestSchema,
  toFieldErrors, type FieldError,
} from '@bosun/contracts';
import { errorsOf, valueOf } from '@bosun/testing';
import { pvc, sc } from './storage.fixtures';
import { compareSizes, validateClaimRequest, validateExpansion, validateVolumeRequest } from './storage-request.validation';

const schemaErrors = (schema: { safeParse: (v: unknown) => { success: boolean; error?: unknown } }, body: unknown): FieldError[] => {
  const r = schema.safeParse(body);
  return r.success ? [] : toFieldErrors(r.error as Parameters<typeof toFieldErrors>[0]);
};

const volume = { name: 'pv-hostpath', capacity: '1Gi', accessModes: ['ReadWriteMany'], storageClassName: 'node-local' };
const claim = { namespace: 'default', name: 'pvc-hostpath', size: '500Mi', accessModes: ['ReadWriteMany'] };

describe('storage schemas: bad input names its field', () => {
  it.each<[string, unknown, string, RegExp]>([
    ['a size that is not a quantity', { ...claim, size: '5 gigs' }, 'size', /must be a Kubernetes quantity/],
    ['upper-case K is not a suffix', { ...claim, size: '5K' }, 'size', /quantity/],
    ['a negative size', { ...claim, size: '-1Gi' }, 'size', /quantity/],
    ['a short access mode', { ...claim, accessModes: ['RWO'] }, 'accessModes.0', /access mode "RWO" is not one of ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod/],
    ['no access mode', { ...claim, accessModes: [] }, 'accessModes', /at least one access mode/],
    ['a duplicate access mode', { ...claim, accessModes: ['ReadWriteOnce', 'ReadWriteOnce'] }, 'accessModes.1', /Duplicate value: "ReadWriteOnce"/],
    ['an upper-case name', { ...claim, name: 'PVC' }, 'name', /DNS-1123 subdomain/],
    ['a namespace with a dot', { ...claim, namespace: 'a.b' }, 'namespace', /DNS-1123 label/],
    ['a class name with an underscore', { ...claim, storageClassName: 'node_local' }, 'storageClassName', /DNS-1123 subdomain/],
    ['an unknown field', { ...claim, replicas: 1 }, '(body)', /replicas/],
    ['a missing size', { namespace: 'default', name: 'x', accessModes: ['ReadWriteOnce'] }, 'size', /size is required/],
  ])('claim: %s', (_, body, path, message) => {
    const errors = schemaErrors(createClaimRequestSchema, body);
    expect(errors).toEqual(expect.arrayContaining([{ path, message: expect.stringMatching(message) }]));
  });

  it.each<[string, unknown, string, RegExp]>([
    ['capacity missing', { ...volume, capacity: undefined }, 'capacity', /capacity is required/],
    ['storageClassName missing (a static volume says "" for none)', { ...volume, storageClassName: undefined }, 'storageClassName', /storageClassName/],
    ['a reclaim policy of another spelling', { ...volume, reclaimPolicy: 'retain' }, 'reclaimPolicy', /reclaimPolicy "retain" is not one of Retain, Delete, Recycle/],
    ['a relative hostPath', { ...volume, hostPath: { path: 'data' } }, 'hostPath.path', /absolute/],
    ['a claimRef without namespace', { ...volume, claimRef: { name: 'foo-pvc' } }, 'claimRef.namespace', /claimRef.namespace is required/],
  ])('volume: %s', (_, body, path, message) => {
    expect(schemaErrors(createVolumeRequestSchema, body)).toEqual(expect.arrayContaining([{ path, message: expect.stringMatching(message) }]));
  });

  it('the API.md bodies parse', () => {
    expect(schemaErrors(createVolumeRequestSchema, { ...volume, reclaimPolicy: 'Retain', hostPath: { path: '/home/host-pv-dir' }, claimRef: { namespace: 'foo', name: 'foo-pvc' } })).toEqual([]);
    expect(schemaErrors(createVolumeRequestSchema, { ...volume, storageClassName: '' })).toEqual([]);
    expect(schemaErrors(createClaimRequestSchema, { ...claim, storageClassName: 'local-path' })).toEqual([]);
    expect(schemaErrors(expandClaimRequestSchema, { size: '2Gi' })).toEqual([]);
    expect(schemaErrors(patchVolumeRequestSchema, { reclaimPolicy: 'Retain' })).toEqual([]);
    expect(schemaErrors(setDefaultClassRequestSchema, { name: 'local-path' })).toEqual([]);
    expect(schemaErrors(expandClaimRequestSchema, { size: 'big' })).toEqual([{ path: 'size', message: expect.stringContaining('quantity') }]);
  });
});

describe('validateVolumeRequest / validateClaimRequest: what the schema cannot say', () => {
  it.each([
    [{ ...volume, capacity: '0' }, [{ path: 'capacity', message: 'Invalid value: "0": must be greater than zero' }]],
    [{ ...volume, accessModes: ['ReadWriteOncePod', 'ReadWriteOnce'] as const }, [{ path: 'accessModes', message: 'may not use ReadWriteOncePod with other access modes' }]],
    [{ ...volume, hostPath: { path: '/data/../etc' } }, [{ path: 'hostPath.path', message: "must not contain '..'" }]],
    [volume, []],
  ])('volume %#', (req, expected) => {
    expect(validateVolumeRequest(req as Parameters<typeof validateVolumeRequest>[0])).toEqual(expected);
  });

  it.each([
    [{ ...claim, size: '0Gi' }, [{ path: 'size', message: 'Invalid value: "0Gi": must be greater than zero' }]],
    [{ ...claim, accessModes: ['ReadWriteOncePod'] }, []],
    [claim, []],
  ])('claim %#', (req, expected) => {
    expect(validateClaimRequest(req as Parameters<typeof validateClaimRequest>[0])).toEqual(expected);
  });
});

describe('validateExpansion (API.md: shrinking → 422, a class without allowVolumeExpansion → 422)', () => {
  const bound = pvc('data', { size: '1Gi', className: 'local-path', phase: 'Bound', volumeName: 'pvc-1' });
  const expandable = sc('local-path', { expansion: true });

  it('growing a Bound claim of an expandable class', () => {
    const check = valueOf(validateExpansion({ claim: bound, storageClass: expandable, size: '2Gi' }));
    expect(check.grows).toBe(true);
  });

  it('the same size is a no-op, not an error (1Gi = 1024Mi)', () => {
    expect(valueOf(validateExpansion({ claim: bound, storageClass: expandable, size: '1024Mi' })).grows).toBe(false);
  });

  it.each<[string, Parameters<typeof validateExpansion>[0], string]>([
    ['shrinking (004:3271)', { claim: bound, storageClass: expandable, size: '512Mi' }, "Forbidden: 512Mi is less than the claim's 1Gi: a claim cannot shrink"],
    ['a class without allowVolumeExpansion', { claim: bound, storageClass: sc('local-path'), size: '2Gi' },
      'only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize (StorageClass "local-path" does not set allowVolumeExpansion)'],
    ['allowVolumeExpansion false', { claim: bound, storageClass: sc('local-path', { expansion: false }), size: '2Gi' }, 'StorageClass "local-path" does not set allowVolumeExpansion'],
    ['a class that is gone', { claim: bound, size: '2Gi' }, 'storageclass.storage.k8s.io "local-path" not found'],
    ['a claim of no class', { claim: pvc('data', { className: '', phase: 'Bound', size: '1Gi' }), size: '2Gi' }, 'the claim has no StorageClass'],
    ['a Pending claim', { claim: pvc('data', { className: 'local-path', size: '1Gi' }), storageClass: expandable, size: '2Gi' }, 'Forbidden: only a Bound claim can be resized (it is Pending)'],
    ['not a size', { claim: bound, storageClass: expandable, size: 'lots' }, 'quantity "lots" is invalid'],
    ['zero', { claim: bound, storageClass: expandable, size: '0' }, 'must be greater than zero'],
  ])('%s → a FieldError on size', (_, input, message) => {
    const errors = errorsOf(validateExpansion(input));
    expect(errors.every((e) => e.path === 'size')).toBe(true);
    expect(errors.map((e) => e.message).join('\n')).toContain(message);
  });
});

describe('compareSizes', () => {
  it('compares exact quantities across units; what does not parse counts as 0', () => {
    expect(compareSizes('1Gi', '1024Mi')).toBe(0);
    expect(compareSizes('2Gi', '2G')).toBe(1);
    expect(compareSizes('500Mi', '1Gi')).toBe(-1);
    expect(compareSizes('lots', '0')).toBe(0);
  });
});
