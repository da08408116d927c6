import { budgetCounts, computeBudget, desiredHealthyOf, expectedScale, scaledValueFromIntOrPercent } from './disruption-budget.math';
import { budget, controller, pod } from './pod.fixtures';

const app = { labels: { app: 'zookeeper' }, owner: ['StatefulSet', 'zk'] as [string, string] };
const zk = (n: number, ready = n): ReturnType<typeof pod>[] =>
  Array.from({ length: n }, (_, i) => pod(`zk-${i}`, { ...app, ready: i < ready }));
const selector = { matchLabels: { app: 'zookeeper' } };

describe('scaledValueFromIntOrPercent (intstr.GetScaledValueFromIntOrPercent)', () => {
  it.each([
    // 7 pods, minAvailable 50%: 4 must stay, rounding up (000:13839-13846)
    ['50%', 7, true, 4], ['50%', 7, false, 3],
    ['30%', 10, true, 3], ['30%', 11, true, 4], ['100%', 3, true, 3], ['0%', 5, true, 0], ['1%', 1, true, 1],
    [2, 10, true, 2], ['2', 10, true, undefined], ['half', 10, true, undefined], [1.5, 10, true, undefined],
  ])('%j of %d (round up %s) → %j', (value, total, roundUp, expected) => {
    expect(scaledValueFromIntOrPercent(value, total, roundUp)).toBe(expected);
  });
});

describe('desiredHealthyOf / computeBudget (the disruption controller)', () => {
  const zkController = [controller('StatefulSet', 'zk', 3)];
  it.each([
    // the seed's zk-pdb: minAvailable 2 of a 3-replica StatefulSet allows 1 (000:13909-13911)
    ['minAvailable 2', { minAvailable: 2 }, zk(3), { expectedPods: 3, desiredHealthy: 2, currentHealthy: 3, disruptionsAllowed: 1 }],
    // maxUnavailable 1 of the same means exactly the same (000:13894-13896)
    ['maxUnavailable 1', { maxUnavailable: 1 }, zk(3), { expectedPods: 3, desiredHealthy: 2, currentHealthy: 3, disruptionsAllowed: 1 }],
    // maxUnavailable 0 and minAvailable 100% block every eviction (000:13885-13888)
    ['maxUnavailable 0', { maxUnavailable: 0 }, zk(3), { expectedPods: 3, desiredHealthy: 3, currentHealthy: 3, disruptionsAllowed: 0 }],
    ['maxUnavailable 0%', { maxUnavailable: '0%' }, zk(3), { expectedPods: 3, desiredHealthy: 3, currentHealthy: 3, disruptionsAllowed: 0 }],
    ['minAvailable 100%', { minAvailable: '100%' }, zk(3), { expectedPods: 3, desiredHealthy: 3, currentHealthy: 3, disruptionsAllowed: 0 }],
    ['minAvailable = replicas', { minAvailable: 3 }, zk(3), { expectedPods: 3, desiredHealthy: 3, currentHealthy: 3, disruptionsAllowed: 0 }],
    // percentages count against the controller's scale, rounding up
    ['minAvailable 50% of 3', { minAvailable: '50%' }, zk(3), { expectedPods: 3, desiredHealthy: 2, currentHealthy: 3, disruptionsAllowed: 1 }],
    ['maxUnavailable 50% of 3 (rounds up to 2)', { maxUnavailable: '50%' }, zk(3), { expectedPods: 3, desiredHealthy: 1, currentHealthy: 3, disruptionsAllowed: 2 }],
    ['maxUnavailable 34% of 3 (1.02 → 2)', { maxUnavailable: '34%' }, zk(3), { expectedPods: 3, desiredHealthy: 1, currentHealthy: 3, disruptionsAllowed: 2 }],
    // unready pods are not healthy: one down already spends the budget
    ['minAvailable 2, one unready', { minAvailable: 2 }, zk(3, 2), { expectedPods: 3, desiredHealthy: 2, currentHealthy: 2, disruptionsAllowed: 0 }],
    ['maxUnavailable 5 clamps desiredHealthy at 0', { maxUnavailable: 5 }, zk(3), { expectedPods: 3, desiredHealthy: 0, currentHealthy: 3, disruptionsAllowed: 3 }],
    // no pods yet: nothing may be disrupted until the controller has seen them (seed: ALLOWED DISRUPTIONS 0, 000:13905-13907)
    ['no matching pods', { minAvailable: 2 }, [], { expectedPods: 0, desiredHealthy: 2, currentHealthy: 0, disruptionsAllowed: 0 }],
  ])('%s', (_, spec, pods, counts) => {
    expect(computeBudget(budget('zk-pdb', { selector, ...spec }), pods, zkController)).toEqual(counts);
  });

  it('the expected count is the sum of the distinct controllers\' scales, not the pods seen', () => {
    const pods = [pod('a-1', { owner: ['ReplicaSet', 'a'] }), pod('a-2', { owner: ['ReplicaSet', 'a'] }), pod('b-1', { owner: ['ReplicaSet', 'b'] }), pod('bare')];
    expect(expectedScale(pods, [controller('ReplicaSet', 'a', 4), controller('ReplicaSet', 'b', 2)])).toEqual({ expected: 6 });
    // a missing scale is Kubernetes' default of one replica
    expect(expectedScale([pod('c-1', { owner: ['ReplicaSet', 'c'] })], [controller('ReplicaSet', 'c')])).toEqual({ expected: 1 });
  });

  it('a controller that cannot be found fails safe: no disruption allowed', () => {
    const counts = computeBudget(budget('zk-pdb', { selector, maxUnavailable: 1 }), zk(3), []);
    expect(counts).toEqual({ expectedPods: 0, desiredHealthy: 0, currentHealthy: 3, disruptionsAllowed: 0, error: 'found no controllers for pod "zk-0"' });
  });

  it('an integer minAvailable needs no controller (bare pods)', () => {
    const bare = [pod('x', { labels: { app: 'x' } }), pod('y', { labels: { app: 'x' } })];
    expect(desiredHealthyOf(budget('x', { selector: { matchLabels: { app: 'x' } }, minAvailable: 1 }), bare, [])).toEqual({ expectedPods: 2, desiredHealthy: 1 });
  });

  it('pods being deleted or just evicted are not healthy', () => {
    const pdb = { ...budget('zk-pdb', { selector, minAvailable: 1 }), status: { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0, observedGeneration: 0, disruptedPods: { 'zk-1': '2026-12-01T10:00:00Z' } } };
    const pods = [pod('zk-0', { ...app, deleting: true }), pod('zk-1', app), pod('zk-2', app)];
    expect(computeBudget(pdb, pods, []).currentHealthy).toBe(1);
    // after DeletionTimeout (2 min) the controller forgets the eviction
    expect(computeBudget(pdb, pods, [], new Date('2026-12-01T10:02:01Z')).currentHealthy).toBe(2);
    expect(computeBudget(pdb, pods, [], new Date('2026-12-01T10:01:59Z')).currentHealthy).toBe(1);
  });

  it('only counts pods of the budget\'s namespace', () => {
    const other = pod('zk-9', { ...app, ns: 'other' });
    expect(computeBudget(budget('zk-pdb', { selector, minAvailable: 1 }), [...zk(2), other], []).currentHealthy).toBe(2);
  });
});

describe('budgetCounts', () => {
  const status = { currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1, expectedPods: 3, observedGeneration: 1 };
  it('trusts a current status, as the eviction handler does (the seed\'s zk-pdb status, 000:13920-13930)', () => {
    expect(budgetCounts({ ...budget('zk-pdb', { selector, minAvailable: 2 }), status }, [], [])).toEqual({ currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1, expectedPods: 3 });
  });
  it('computes when the status is older than the spec', () => {
    const stale = { ...budget('zk-pdb', { selector, minAvailable: 3 }), metadata: { name: 'zk-pdb', namespace: 'default', generation: 2 }, status };
    expect(budgetCounts(stale, zk(3), []).disruptionsAllowed).toBe(0);
  });
});
