import { ago, cpu, external, hpa, NOW, podsMetric, samples } from './hpa.fixtures';
import type { Behavior, HpaInput } from './hpa.types';
import { recommendReplicas } from './hpa.recommender';
import { recordEvaluation } from './decision.simulator';

const desired = (input: HpaInput): number => recommendReplicas(input).desiredReplicas;

describe('the walkthrough (000:13541-13545, 004:4255-4263)', () => {
  it('1 replica at 305 % of a 50 % target: 7, reached in two steps through the legacy max(2 × current, 4) limit', () => {
    const first = recommendReplicas(hpa(1, [cpu(50, samples([305]))], { maxReplicas: 10 }));
    expect(first).toMatchObject({ desiredReplicas: 4, recommendation: 7, limitedBy: 'scaleUpPolicy' });
    expect(first.conditions.ScalingLimited).toEqual({ status: 'True', reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' });
    expect(first.explanation).toBe('New size: 4; reason: cpu resource utilization (percentage of request) above target');
    // the same load spread over 4 pods: 76 % each → 1.52 → ceil(6.08) = 7
    const second = recommendReplicas(hpa(4, [cpu(50, samples([76, 76, 76, 76]))], { maxReplicas: 10 }));
    expect(second).toMatchObject({ desiredReplicas: 7, recommendation: 7 });
    expect(second.explanation).toBe('New size: 7; reason: cpu resource utilization (percentage of request) above target');
  });

  it('58 % vs 50 % on one pod: the event text of 004:4263 and healthy conditions', () => {
    const r = recommendReplicas(hpa(1, [cpu(50, samples([58]))], { maxReplicas: 10 }));
    expect(r.explanation).toBe('New size: 2; reason: cpu resource utilization (percentage of request) above target');
    expect(r.conditions).toEqual({
      AbleToScale: { status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' },
      ScalingActive: { status: 'True', reason: 'ValidMetricFound', message: 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)' },
      ScalingLimited: { status: 'False', reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' },
    });
    expect(r.limitedBy).toBeUndefined();
  });

  it.each([
    [podsMetric('http_requests', '500m', samples(['1', '1'])), 'New size: 4; reason: pods metric http_requests above target'],
    [{ name: 'requests-per-second', type: 'Object', target: { type: 'Value', value: '10k' }, value: '20k' } as const, 'New size: 4; reason: object metric requests-per-second above target'],
    [external('queue_messages_ready', 'AverageValue', 30, 120), 'New size: 4; reason: external metric queue_messages_ready above target'],
    [{ name: 'memory', type: 'Resource', resource: 'memory', target: { type: 'AverageValue', value: '100Mi' }, pods: samples(['200Mi', '200Mi']) } as const, 'New size: 4; reason: memory resource above target'],
    [cpu(50, samples([10, 10])), 'New size: 1; reason: All metrics below target'],
  ])('explains in upstream words: %#', (metric, explanation) => {
    expect(recommendReplicas(hpa(2, [metric], { behavior: { scaleDown: { stabilizationWindowSeconds: 0 } } })).explanation).toBe(explanation);
  });
});

describe('several metrics (000:13245-13250)', () => {
  it('takes the largest proposal and names its metric', () => {
    const r = recommendReplicas(hpa(2, [cpu(50, samples([75, 75])), podsMetric('packets-per-second', '1k', samples(['2k', '2k']))]));
    expect(r.perMetric.map((m) => m.proposal)).toEqual([3, 4]);
    expect(r.desiredReplicas).toBe(4);
    expect(r.explanation).toBe('New size: 4; reason: pods metric packets-per-second above target');
  });

  it('scales up on the metrics that work when one fails', () => {
    const r = recommendReplicas(hpa(2, [cpu(50, samples([100, 100])), external('queue', 'AverageValue', 30)]));
    expect(r.desiredReplicas).toBe(4);
    expect(r.conditions.ScalingActive.reason).toBe('ValidMetricFound');
    expect(r.perMetric[1]).toEqual({ name: 'queue', error: 'unable to get external metric queue: no value was observed' });
  });

  it('does not scale down when a metric failed', () => {
    const r = recommendReplicas(hpa(4, [cpu(50, samples([10, 10, 10, 10])), external('queue', 'AverageValue', 30)]));
    expect(r.desiredReplicas).toBe(4);
    expect(r.conditions.ScalingActive).toEqual({
      status: 'False', reason: 'FailedGetExternalMetric', message: 'the HPA was unable to compute the replica count: unable to get external metric queue: no value was observed',
    });
    expect(r.explanation).toBe('Keeping 4 replicas; reason: invalid metrics (1 invalid out of 2), first error is: unable to get external metric queue: no value was observed');
  });

  it.each([
    [cpu(50, []), 'FailedGetResourceMetric', 'failed to get cpu utilization: no pods returned by selector while calculating replica count'],
    [cpu(50, samples([undefined, undefined])), 'FailedGetResourceMetric', 'failed to get cpu utilization: did not receive metrics for targeted pods (pods might be unready)'],
    [podsMetric('qps', '1', [{ name: 'a', value: 'lots' }]), 'FailedGetPodsMetric', 'unable to get metric qps: quantity "lots" of pod a is invalid'],
    [{ name: 'rps', type: 'Object', target: { type: 'Utilization', value: 5 } } as const, 'FailedGetObjectMetric', 'invalid object metric source: neither a value target nor an average value target was set'],
    [{ name: 'x', type: 'Custom', target: { type: 'Value', value: 5 } } as const, 'InvalidMetricSourceType', 'unknown metric source type "Custom"'],
    [{ ...external('backlog', 'AverageValue', 10), error: 'queue "jobs" does not exist' }, 'FailedGetExternalMetric', 'unable to get external metric backlog: queue "jobs" does not exist'],
    [cpu(50, [{ name: 'a', usage: '100m' }]), 'FailedGetResourceMetric', 'failed to get cpu utilization: missing request for cpu in Pod a'],
  ])('a failing metric alone keeps the count, with upstream reason: %#', (metric, reason, error) => {
    const r = recommendReplicas(hpa(3, [metric]));
    expect(r.desiredReplicas).toBe(3);
    expect(r.conditions.ScalingActive).toEqual({ status: 'False', reason, message: `the HPA was unable to compute the replica count: ${error}` });
  });
});

describe('without behavior: 300 s downscale stabilization (000:13251-13258)', () => {
  const down = (history: HpaInput['history']): HpaInput => hpa(8, [cpu(50, samples(Array(8).fill(25)))], { history });
  it.each([
    ['a higher recommendation 100 s ago holds the count', [{ at: ago(100), replicas: 8 }], 8, 'stabilization'],
    ['exactly 300 s ago still counts', [{ at: ago(300), replicas: 8 }], 8, 'stabilization'],
    ['301 s ago no longer counts', [{ at: ago(301), replicas: 8 }], 4, undefined],
    ['the highest in the window wins', [{ at: ago(200), replicas: 6 }, { at: ago(100), replicas: 5 }], 6, 'stabilization'],
  ])('%s', (_, recommendations, expected, limitedBy) => {
    const r = recommendReplicas(down({ recommendations }));
    expect(r.desiredReplicas).toBe(expected);
    expect(r.recommendation).toBe(4);
    expect(r.limitedBy).toBe(limitedBy);
  });

  it('says why it holds', () => {
    const r = recommendReplicas(down({ recommendations: [{ at: ago(100), replicas: 8 }] }));
    expect(r.conditions.AbleToScale).toEqual({ status: 'True', reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' });
    expect(r.explanation).toBe('Keeping 8 replicas; reason: recent recommendations were higher than current one, applying the highest recent recommendation');
  });
});

describe('behavior (000:13364-13427)', () => {
  const tenPercentOrFourPods: Behavior = {
    scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }, { type: 'Percent', value: 10, periodSeconds: 60 }] },
  };
  // every pod far below target: the algorithm wants 10 replicas (000:13381-13391)
  const shrink = (current: number, extra: Partial<HpaInput> = {}): HpaInput =>
    hpa(current, [cpu(100, samples(Array(current).fill(Math.floor(1000 / current))))], { behavior: tenPercentOrFourPods, ...extra });

  it.each([
    // 80 → 72 (10 % = 8 > 4), 72 → 64 (7.2 rounds up to a step of 8), 40 → 36 (both 4), 30 → 26 (Pods 4 > 3)
    [80, 72], [72, 64], [41, 36], [40, 36], [30, 26],
  ])('from %d a fresh period allows %d', (current, expected) => {
    const r = recommendReplicas(shrink(current));
    expect(r.recommendation).toBe(10);
    expect(r).toMatchObject({ desiredReplicas: expected, limitedBy: 'scaleDownPolicy' });
    expect(r.conditions.ScalingLimited).toEqual({ status: 'True', reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' });
  });

  it('walks 80 down to the 10 the metrics want, one evaluation a minute: 10 % above 40 replicas, 4 pods at or below', () => {
    const walk = [80];
    let history: HpaInput['history'];
    for (let minute = 0; walk[walk.length - 1] > 10; minute++) {
      const current = walk[walk.length - 1];
      const at = new Date(Date.parse(NOW) + minute * 61_000).toISOString();
      const r = recommendReplicas({ ...shrink(current), now: at, history });
      history = recordEvaluation(history, at, current, r);
      walk.push(r.desiredReplicas);
    }
    expect(walk).toEqual([80, 72, 64, 57, 51, 45, 40, 36, 32, 28, 24, 20, 16, 12, 10]);
  });

  it('counts the scale events of the period: 8 removed 30 s ago leaves nothing more this minute', () => {
    expect(desired(shrink(72, { history: { scaleDownEvents: [{ at: ago(30), change: 8 }] } }))).toBe(72);
    expect(desired(shrink(72, { history: { scaleDownEvents: [{ at: ago(60), change: 8 }] } }))).toBe(64);
  });

  it('selectPolicy Min takes the smaller change: max(80 − 5, 72) = 75', () => {
    const behavior: Behavior = { scaleDown: { stabilizationWindowSeconds: 0, selectPolicy: 'Min', policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }, { type: 'Pods', value: 5, periodSeconds: 60 }] } };
    expect(desired(shrink(80, { behavior }))).toBe(75);
  });

  it('selectPolicy Disabled stops that direction only', () => {
    const behavior: Behavior = { scaleDown: { selectPolicy: 'Disabled' } };
    const r = recommendReplicas(shrink(80, { behavior }));
    expect(r).toMatchObject({ desiredReplicas: 80, limitedBy: 'scaleDownPolicy' });
    expect(desired(hpa(2, [cpu(50, samples([100, 100]))], { behavior }))).toBe(4);
  });

  it("upstream's scale-up defaults when only scaleDown is given: max(+4 pods, +100 %) per 15 s", () => {
    const behavior: Behavior = { scaleDown: { stabilizationWindowSeconds: 0 } };
    expect(desired(hpa(1, [cpu(50, samples([1000]))], { behavior }))).toBe(5);
    expect(desired(hpa(10, [cpu(50, samples(Array(10).fill(1000)))], { behavior }))).toBe(20);
    // 5 added 10 s ago: the period started at 5, so max(5 + 4, 5 × 2) = 10, no further growth yet
    expect(desired(hpa(10, [cpu(50, samples(Array(10).fill(1000)))], { behavior, history: { scaleUpEvents: [{ at: ago(10), change: 5 }] } }))).toBe(10);
    expect(desired(hpa(10, [cpu(50, samples(Array(10).fill(1000)))], { behavior, history: { scaleUpEvents: [{ at: ago(15), change: 5 }] } }))).toBe(20);
  });

  it("upstream's scale-down default when behavior is given: 300 s window, 100 % per 15 s", () => {
    const behavior: Behavior = { scaleUp: { stabilizationWindowSeconds: 0 } };
    const input = hpa(8, [cpu(50, samples(Array(8).fill(5)))], { behavior });
    expect(desired(input)).toBe(1);
    expect(desired({ ...input, history: { recommendations: [{ at: ago(299), replicas: 6 }] } })).toBe(6);
    // behavior windows exclude a sample exactly at the cutoff (strictly after), unlike the legacy path
    expect(desired({ ...input, history: { recommendations: [{ at: ago(300), replicas: 6 }] } })).toBe(1);
  });

  it('a scale-up stabilization window applies the lowest recent recommendation', () => {
    const behavior: Behavior = { scaleUp: { stabilizationWindowSeconds: 120 } };
    const r = recommendReplicas(hpa(5, [cpu(50, samples(Array(5).fill(100)))], { behavior, history: { recommendations: [{ at: ago(60), replicas: 5 }] } }));
    expect(r).toMatchObject({ desiredReplicas: 5, recommendation: 10, limitedBy: 'stabilization' });
    expect(r.conditions.AbleToScale.reason).toBe('ScaleUpStabilized');
  });
});

describe('min and max', () => {
  it.each([
    ['below min', hpa(3, [cpu(50, samples([5, 5, 5]))], { minReplicas: 2, behavior: { scaleDown: { stabilizationWindowSeconds: 0 } } }), 2, 'minReplicas', 'TooFewReplicas'],
    ['above max', hpa(8, [cpu(50, samples(Array(8).fill(100)))], { maxReplicas: 10 }), 10, 'maxReplicas', 'TooManyReplicas'],
    ['above max with behavior', hpa(8, [cpu(50, samples(Array(8).fill(100)))], { maxReplicas: 10, behavior: {} }), 10, 'maxReplicas', 'TooManyReplicas'],
  ])('%s', (_, input, expected, limitedBy, reason) => {
    const r = recommendReplicas(input);
    expect(r).toMatchObject({ desiredReplicas: expected, limitedBy });
    expect(r.conditions.ScalingLimited).toMatchObject({ status: 'True', reason });
  });

  it('a current count outside [min, max] goes straight to the bound', () => {
    expect(recommendReplicas(hpa(12, [cpu(50, samples(Array(12).fill(50)))], { maxReplicas: 10 }))).toMatchObject({
      desiredReplicas: 10, limitedBy: 'maxReplicas', explanation: 'New size: 10; reason: Current number of replicas above Spec.MaxReplicas',
    });
    expect(recommendReplicas(hpa(1, [cpu(50, samples([50]))], { minReplicas: 3 }))).toMatchObject({
      desiredReplicas: 3, limitedBy: 'minReplicas', explanation: 'New size: 3; reason: Current number of replicas below Spec.MinReplicas',
    });
  });
});

describe('replicas 0 (000:13462-13467) and scale to zero', () => {
  it('a target at 0 replicas with minReplicas > 0 is not scaled', () => {
    const r = recommendReplicas(hpa(0, [cpu(50, [])]));
    expect(r).toMatchObject({ desiredReplicas: 0, explanation: 'Keeping 0 replicas; reason: scaling is disabled since the replica count of the target is zero' });
    expect(r.conditions.ScalingActive).toEqual({ status: 'False', reason: 'ScalingDisabled', message: 'scaling is disabled since the replica count of the target is zero' });
  });

  it.each([
    ['idle backlog → 0', 3, 0, undefined, 0],
    ['backlog at activation → 0', 3, 10, 10, 0],
    ['backlog above activation from 0 → ceil(11 / 30) = 1', 0, 11, 10, 1],
    ['backlog from 0 → ceil(90 / 30) = 3', 0, 90, undefined, 3],
    ['idle at 0 stays 0', 0, 0, undefined, 0],
  ])('%s', (_, current, backlog, activation, expected) => {
    const input = hpa(current, [external('jobs', 'AverageValue', 30, backlog, activation)], { minReplicas: 0, behavior: { scaleDown: { stabilizationWindowSeconds: 0 } } });
    expect(desired(input)).toBe(expected);
  });

  it('a Queue metric is an External AverageValue on the backlog (000:13741-13748)', () => {
    const queue = { name: 'emails', type: 'Queue', target: { type: 'AverageValue', value: 30 }, value: 95, activation: 0 } as const;
    const r = recommendReplicas(hpa(0, [queue], { minReplicas: 0, maxReplicas: 10 }));
    expect(r).toMatchObject({ desiredReplicas: 4, explanation: 'New size: 4; reason: queue metric emails above target' });
    expect(r.conditions.ScalingActive.message).toBe('the HPA was able to successfully calculate a replica count from queue metric emails');
  });

  it('one active queue keeps at least one replica', () => {
    const input = hpa(2, [external('a', 'AverageValue', 100, 0), external('b', 'AverageValue', 100, 5)], { minReplicas: 0, behavior: { scaleDown: { stabilizationWindowSeconds: 0 } } });
    expect(recommendReplicas(input)).toMatchObject({ recommendation: 1, desiredReplicas: 1 });
  });

  it('uses the given now, so the same input gives the same answer', () => {
    const input = hpa(8, [cpu(50, samples(Array(8).fill(25)))], { now: NOW, history: { recommendations: [{ at: ago(100), replicas: 8 }] } });
    expect(recommendReplicas(input)).toEqual(recommendReplicas(input));
  });
});
