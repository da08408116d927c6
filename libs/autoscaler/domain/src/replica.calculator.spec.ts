import { ago, cpu, external, hpa, podsMetric, samples } from './hpa.fixtures';
import type { MetricInput, PodSample } from './hpa.types';
import { recommendReplicas } from './hpa.recommender';
import { intDiv, isWithin } from './replica.calculator';

// Per-metric proposals: `recommendation` is the metric's proposal before stabilization, rate
// limits and min/max (a wide maxReplicas keeps the legacy scale-up limit out of the way where
// only the proposal matters).
const proposal = (current: number, metric: MetricInput, extra = {}): number => recommendReplicas(hpa(current, [metric], extra)).recommendation;

describe('the basic formula: desired = ceil(current × currentMetric / targetMetric) (000:13208-13216)', () => {
  it.each([
    // 200m vs 100m doubles, 50m halves
    ['200m per pod, target 100m', 2, podsMetric('packets', '100m', samples(['200m', '200m'])), 4],
    ['50m per pod, target 100m', 4, podsMetric('packets', '100m', samples(['50m', '50m', '50m', '50m'])), 2],
    // 305 % of request against a 50 % target on 1 replica: ceil(6.1) = 7 (000:13541-13545)
    ['305 % vs 50 %', 1, cpu(50, samples([305])), 7],
    // 58 % vs 50 % on one pod → 2 (004:4255-4263)
    ['58 % vs 50 %', 1, cpu(50, samples([58])), 2],
    // numbers and quantity strings are the same target
    ['target "50" as a string', 1, cpu('50', samples([305])), 7],
    ['memory AverageValue 500Mi, pods at 1Gi', 2, { name: 'memory', type: 'Resource', resource: 'memory', target: { type: 'AverageValue', value: '500Mi' }, pods: samples(['1Gi', '1Gi']) } as MetricInput, 5],
  ])('%s', (_, current, metric, expected) => {
    expect(proposal(current, metric)).toBe(expected);
  });

  it('utilization is a ratio of sums, truncated: Σusage×100/Σrequests with usage/request pairs', () => {
    // 100m + 0m over 300m + 300m requests = 16.66… % → 16 %; 16 / 10 = 1.6 → ceil(3.2) = 4
    const pods: PodSample[] = [{ name: 'a', usage: '100m', request: '300m' }, { name: 'b', usage: '0', request: '300m' }];
    const result = recommendReplicas(hpa(2, [cpu(10, pods)]));
    expect(result.perMetric[0]).toEqual({ name: 'cpu', proposal: 4, current: '16' });
  });

  it('stays exact with memory in milli-units past 2^53 (upstream holds them in int64)', () => {
    // 200 pods using 1.5Gi of a 2Gi request: Σusage × 100 ≈ 3.2e16 milli-bytes; 75 % exactly
    const pods: PodSample[] = Array.from({ length: 200 }, (_, n) => ({ name: `p${n}`, usage: '1536Mi', request: '2Gi' }));
    const metric: MetricInput = { name: 'memory', type: 'Resource', resource: 'memory', target: { type: 'Utilization', value: 75 }, pods };
    expect(recommendReplicas(hpa(200, [metric], { maxReplicas: 1000 })).perMetric[0]).toEqual({ name: 'memory', proposal: 200, current: '75' });
  });

  it('a ratio of sums, not a mean of ratios: a big pod weighs more', () => {
    // (900m + 100m) / (1000m + 1000m) = 50 % (a mean of ratios would say 50 % too); (900m+100m)/(1000m+4000m) = 20 %
    const pods: PodSample[] = [{ name: 'a', usage: '900m', request: '1' }, { name: 'b', usage: '100m', request: '4' }];
    expect(recommendReplicas(hpa(2, [cpu(50, pods)])).perMetric[0].current).toBe('20');
  });
});

describe('tolerance: inclusive bounds (000:13217-13220)', () => {
  it.each([
    [110, 4], [90, 4], // exactly 1.1 and 0.9: no change
    [111, 5], [89, 4], // ceil(1.11 × 4) = 5; ceil(0.89 × 4) = 4 as well
    [88, 4], [87, 4], [74, 3], // ceil(0.74 × 4) = 3
  ])('4 pods at %d %% of a 100 %% target → %d', (value, expected) => {
    expect(proposal(4, cpu(100, samples([value, value, value, value])))).toBe(expected);
  });

  it('per direction when the behavior gives one: scale up at 1.05 with tolerance 0.02, but not down at 0.85 with 0.2', () => {
    const behavior = { scaleUp: { tolerance: 0.02 }, scaleDown: { tolerance: 0.2 } };
    expect(proposal(10, cpu(100, samples(Array(10).fill(105))), { behavior })).toBe(11);
    expect(proposal(10, cpu(100, samples(Array(10).fill(85))), { behavior })).toBe(10);
    expect(proposal(10, cpu(100, samples(Array(10).fill(79))), { behavior })).toBe(8);
  });

  it('the tolerance edges are exact in float64 as upstream computes them', () => {
    expect(isWithin({ up: 0.1, down: 0.1 }, 110 / 100)).toBe(true);
    expect(isWithin({ up: 0.1, down: 0.1 }, 90 / 100)).toBe(true);
    expect(intDiv(-7, 2)).toBe(-3);
  });
});

describe('missing and unready pods, recomputed conservatively (000:13227-13244)', () => {
  it.each([
    // scale-down: a missing pod counts max(100, target) %: (9×10 + 100)/10 = 19 % → 0.38 → ceil(3.8) = 4 (not ceil(0.2×9) = 2)
    ['down, one missing', 10, cpu(50, samples([10, 10, 10, 10, 10, 10, 10, 10, 10, undefined])), 4],
    // a target above 100 %: the missing pod counts the target: (10 + 150)/2 = 80 → 0.53 → ceil(1.07) = 2 = current
    ['down, missing at a 150 % target', 2, cpu(150, samples([10, undefined])), 2],
    // the recompute flips direction: (40 + 100)/2 = 70 % → 1.4 > 1 → keep 2
    ['down flips to up', 2, cpu(50, samples([40, undefined])), 2],
    // scale-up: a missing pod counts 0 %: (3×90)/4 = 67 % → 1.34 → ceil(5.36) = 6
    ['up, one missing', 4, cpu(50, samples([90, 90, 90, undefined])), 6],
    // the recompute lands in tolerance: (2×100)/4 = 50 % → 1.0 → keep 4
    ['up lands in tolerance', 4, cpu(50, samples([100, 100, undefined, undefined])), 4],
    // unready pods count 0 % on a scale-up: (2×80)/3 = 53 % → 1.06 → keep 3
    ['up with an unready pod', 3, cpu(50, [...samples([80, 80]), { name: 'u', value: 200, ready: false }]), 3],
    // (2×100)/3 = 66 % → 1.32 → ceil(3.96) = 4
    ['up with an unready pod, still up', 3, cpu(50, [...samples([100, 100]), { name: 'u', ready: false }]), 4],
    // unready pods are left out on a scale-down: ceil(0.2 × 2) = 1
    ['down with an unready pod', 3, cpu(50, [...samples([10, 10]), { name: 'u', value: 90, ready: false }]), 1],
    // pending pods are unready: (2×100 + 0)/3 = 66 % → 4
    ['a pending pod', 3, cpu(50, [...samples([100, 100]), { name: 'pending', phase: 'Pending' }]), 4],
    // deleting and failed pods are ignored altogether: 2 pods at 100 % → 4
    ['deleting and failed pods', 4, cpu(50, [...samples([100, 100]), { name: 'd', value: 500, deleting: true }, { name: 'f', value: 500, phase: 'Failed' }]), 4],
  ])('%s', (_, current, metric, expected) => {
    expect(proposal(current, metric)).toBe(expected);
  });

  it('names the pods it set aside', () => {
    const pods: PodSample[] = [...samples([100]), { name: 'gone', deleting: true }, { name: 'new', phase: 'Pending' }, { name: 'silent' }];
    const [view] = recommendReplicas(hpa(3, [cpu(50, pods)])).perMetric;
    expect(view).toEqual({ name: 'cpu', proposal: 3, current: '100', ignoredPods: ['gone'], unreadyPods: ['new'], missingPods: ['silent'] });
  });

  it('Pods metrics: missing pods count the target on a scale-down, 0 on a scale-up', () => {
    // down: (2×10m + 100m)/3 = 40m → 0.4 → ceil(1.2) = 2
    expect(proposal(3, podsMetric('qps', '100m', samples(['10m', '10m', undefined])))).toBe(2);
    // up: (2×300m + 0)/3 = 200m → 2 → 6
    expect(proposal(3, podsMetric('qps', '100m', samples(['300m', '300m', undefined])))).toBe(6);
  });

  it('only CPU applies readiness: a running, unready pod counts for memory and for Pods metrics', () => {
    const pods: PodSample[] = [{ name: 'a', value: '200m' }, { name: 'b', value: '200m', ready: false }];
    expect(proposal(2, podsMetric('qps', '100m', pods))).toBe(4);
  });
});

describe('CPU readiness timing (30 s readiness delay, 5 min initialization, 000:13227-13238)', () => {
  const hot = (pod: Partial<PodSample>): MetricInput => cpu(50, [{ name: 'old', value: 100 }, { name: 'young', value: 100, ...pod }]);
  it.each([
    // within 5 min of start: ready, but the sample was taken less than a window after it became Ready → unready
    ['young, sample too soon after Ready', { startTime: ago(60), readyTransitionTime: ago(20), metricTime: ago(0), metricWindowSeconds: 30, ready: true }, 3],
    // within 5 min, sample a full window after Ready → counted
    ['young, sample a window after Ready', { startTime: ago(120), readyTransitionTime: ago(90), metricTime: ago(10), metricWindowSeconds: 30, ready: true }, 4],
    // within 5 min and not Ready → unready
    ['young and unready', { startTime: ago(60), readyTransitionTime: ago(50), ready: false }, 3],
    // past 5 min, unready, and it turned unready within 30 s of its start (never ready) → unready
    ['old, never ready', { startTime: ago(600), readyTransitionTime: ago(590), ready: false }, 3],
    // past 5 min, unready, but it had been ready (turned unready long after start) → counted
    ['old, was ready once', { startTime: ago(600), readyTransitionTime: ago(100), ready: false }, 4],
  ])('%s', (_, pod, expected) => {
    // both counted: 100 % → 2.0 → ceil(2 × 2) = 4; the young pod set aside: (100 + 0)/2 = 50 % → within tolerance → keep 3
    expect(proposal(3, hot(pod))).toBe(expected);
  });
});

describe('Object and External metrics (000:13600-13756)', () => {
  it.each([
    // Value: ratio × ready pods; 20k vs 10k on 2 → 4
    ['Object Value', 2, { name: 'requests-per-second', type: 'Object', target: { type: 'Value', value: '10k' }, value: '20k' } as MetricInput, 4],
    // AverageValue: ceil(total / target): 30 tasks per worker, 90 ready → 3 (000:13741-13748)
    ['External AverageValue', 1, external('queue_messages_ready', 'AverageValue', 30, 90), 3],
    // AverageValue within tolerance of the current count: 62 / (30 × 2) = 1.03 → keep 2
    ['External AverageValue within tolerance', 2, external('queue_messages_ready', 'AverageValue', 30, 62), 2],
    ['External Value', 4, external('lag', 'Value', 100, 50), 2],
  ])('%s', (_, current, metric, expected) => {
    expect(proposal(current, metric)).toBe(expected);
  });

  it('Value targets multiply by the ready pods, not the replicas', () => {
    expect(proposal(4, external('lag', 'Value', 100, 200), { readyPods: 2 })).toBe(4);
  });

  it('reports the average per replica for AverageValue', () => {
    expect(recommendReplicas(hpa(3, [external('q', 'AverageValue', 30, 90)])).perMetric[0]).toEqual({ name: 'q', proposal: 3, current: '30' });
  });
});
