import { quantity } from '@bosun/quantity';
import { expansionAdmission, newClaimAdmission } from './claim-admission.rules';
import type { LimitRange, ResourceQuota } from './kube-types';

// 000:5576-5610: max 2Gi, min 1Gi per claim; at most 5 claims and 5Gi in the namespace.
const storageLimits: LimitRange = { metadata: { name: 'storagelimits' }, spec: { limits: [{ type: 'PersistentVolumeClaim', max: { storage: '2Gi' }, min: { storage: '1Gi' } }] } };
const storageQuota = (used: Record<string, string>): ResourceQuota => ({
  metadata: { name: 'storagequota' },
  spec: { hard: { persistentvolumeclaims: '5', 'requests.storage': '5Gi' } },
  status: { hard: { persistentvolumeclaims: '5', 'requests.storage': '5Gi' }, used },
});

describe('admission of a new claim', () => {
  it.each<[string, string, ResourceQuota[], LimitRange[], string[]]>([
    ['within limits and quota', '2Gi', [storageQuota({ persistentvolumeclaims: '1', 'requests.storage': '2Gi' })], [storageLimits], []],
    ['10Gi is above the 2Gi maximum (000:5585-5595)', '10Gi', [], [storageLimits],
      ['persistentvolumeclaims "data" is forbidden: maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 10Gi']],
    ['500Mi is below the 1Gi minimum', '500Mi', [], [storageLimits],
      ['persistentvolumeclaims "data" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi']],
    ['a 3rd 2Gi claim needs 6Gi of a 5Gi quota (000:5600-5607)', '2Gi', [storageQuota({ persistentvolumeclaims: '2', 'requests.storage': '4Gi' })], [],
      ['persistentvolumeclaims "data" is forbidden: exceeded quota: storagequota, requested: requests.storage=2Gi, used: requests.storage=4Gi, limited: requests.storage=5Gi']],
    ['the 6th claim exceeds the count of 5', '1Gi', [storageQuota({ persistentvolumeclaims: '5', 'requests.storage': '3Gi' })], [],
      ['persistentvolumeclaims "data" is forbidden: exceeded quota: storagequota, requested: persistentvolumeclaims=1, used: persistentvolumeclaims=5, limited: persistentvolumeclaims=5']],
    ['both at once, sorted by resource as upstream lists them', '2Gi', [storageQuota({ persistentvolumeclaims: '5', 'requests.storage': '4Gi' })], [],
      ['persistentvolumeclaims "data" is forbidden: exceeded quota: storagequota, requested: persistentvolumeclaims=1,requests.storage=2Gi, used: persistentvolumeclaims=5,requests.storage=4Gi, limited: persistentvolumeclaims=5,requests.storage=5Gi']],
  ])('%s', (_, size, quotas, ranges, messages) => {
    expect(newClaimAdmission({ name: 'data', request: quantity(size) }, quotas, ranges).map((c) => c.message)).toEqual(messages);
  });

  it('per-class quota keys count only claims of that class', () => {
    const gold: ResourceQuota = { metadata: { name: 'gold' }, status: { hard: { 'gold.storageclass.storage.k8s.io/requests.storage': '1Gi' }, used: {} } };
    expect(newClaimAdmission({ name: 'x', className: 'gold', request: quantity('2Gi') }, [gold]).map((c) => c.code)).toEqual(['QuotaExceeded']);
    expect(newClaimAdmission({ name: 'x', className: 'silver', request: quantity('2Gi') }, [gold])).toEqual([]);
  });

  it('every cause carries a hint', () => {
    const causes = newClaimAdmission({ name: 'x', request: quantity('10Gi') }, [storageQuota({})], [storageLimits]);
    expect(causes.map((c) => c.code)).toEqual(['LimitRangeMaximum', 'QuotaExceeded']);
    for (const c of causes) expect(c.hint).toMatch(/000:5576-5610/);
  });
});

describe('admission of an expansion: only the growth counts', () => {
  it('1Gi → 2Gi with 4Gi of 5Gi used fits; → 3Gi does not', () => {
    const quotas = [storageQuota({ 'requests.storage': '4Gi' })];
    expect(expansionAdmission({ name: 'd', from: quantity('1Gi'), to: quantity('2Gi') }, quotas)).toEqual([]);
    expect(expansionAdmission({ name: 'd', from: quantity('1Gi'), to: quantity('3Gi') }, quotas)[0].message).toBe(
      'persistentvolumeclaims "d" is forbidden: exceeded quota: storagequota, requested: requests.storage=2Gi, used: requests.storage=4Gi, limited: requests.storage=5Gi');
  });
});
