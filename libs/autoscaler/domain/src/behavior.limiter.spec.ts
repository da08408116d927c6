import { NOW_MS } from './hpa.fixtures';
import type { Behavior, History, ScalingPolicy } from './hpa.types';
import { limitLegacy, limitWithBehavior, resolveBehavior } from './behavior.limiter';

// Rate limits over the events of the period, with the corner cases of upstream's
// horizontal_test.go (convertDesiredReplicasWithBehaviorRate): the count at the start of a
// period is the current count minus what was added plus what was removed in it.

const events = (changes: number[], secondsAgo = 10): History['scaleUpEvents'] => changes.map((change) => ({ at: NOW_MS - secondsAgo * 1000, change }));
const only = (policies: ScalingPolicy[], direction: 'scaleUp' | 'scaleDown'): Behavior => ({ [direction]: { policies, stabilizationWindowSeconds: 0 } });
const limit = (current: number, desired: number, min: number, behavior: Behavior, history: History): number =>
  limitWithBehavior(current, desired, min, 1000, resolveBehavior(behavior), history, NOW_MS).replicas;

describe('limitWithBehavior', () => {
  it.each([
    // 15 added within 120 s: the period started at 85; +150 pods → 235, +200 % → 255
    ['up, Pods over the period', 100, 500, only([{ type: 'Pods', value: 150, periodSeconds: 120 }], 'scaleUp'), { scaleUpEvents: events([1, 5, 9]) }, 235],
    ['up, Percent over the period', 100, 500, only([{ type: 'Percent', value: 200, periodSeconds: 120 }], 'scaleUp'), { scaleUpEvents: events([1, 5, 9]) }, 255],
    // 85 + 5 < 100: never below the current count
    ['up, the period already used', 100, 500, only([{ type: 'Pods', value: 5, periodSeconds: 120 }], 'scaleUp'), { scaleUpEvents: events([1, 5, 9]) }, 100],
    // 15 removed within 120 s: the period started at 115; −5 pods → 110 > 100 → hold
    ['down, Pods over the period', 100, 2, only([{ type: 'Pods', value: 5, periodSeconds: 120 }], 'scaleDown'), { scaleDownEvents: events([1, 5, 9]) }, 100],
    // 12 removed: (100 + 12) × 50 % = 56
    ['down, Percent over the period', 100, 0, only([{ type: 'Percent', value: 50, periodSeconds: 120 }], 'scaleDown'), { scaleDownEvents: events([2, 4, 6]) }, 56],
    ['down, the period already used', 100, 0, only([{ type: 'Percent', value: 10, periodSeconds: 120 }], 'scaleDown'), { scaleDownEvents: events([10, 10, 10]) }, 100],
    // (10 + 30) × (1 − 1000 %) < 0: the desired 5 stands
    ['down, a limit below zero', 10, 5, only([{ type: 'Percent', value: 1000, periodSeconds: 120 }], 'scaleDown'), { scaleDownEvents: events([10, 10, 10]) }, 5],
    // events older than the period do not count
    ['down, old events forgotten', 100, 0, only([{ type: 'Percent', value: 10, periodSeconds: 60 }], 'scaleDown'), { scaleDownEvents: events([10, 10, 10], 61) }, 90],
    // a scale-up in the period also moves the period's start for a scale-down: (100 − 10) − 20 = 70
    ['down after a scale-up in the period', 100, 0, only([{ type: 'Pods', value: 20, periodSeconds: 60 }], 'scaleDown'), { scaleUpEvents: events([10]) }, 70],
  ])('%s', (_, current, desired, behavior, history, expected) => {
    expect(limit(current, desired, 1, behavior, history)).toBe(expected);
  });

  it('a large Pods step stops at minReplicas', () => {
    expect(limit(100, 0, 5, only([{ type: 'Pods', value: 130, periodSeconds: 120 }], 'scaleDown'), { scaleDownEvents: events([1, 5, 9]) })).toBe(5);
  });
});

describe('limitLegacy: without behavior, max(2 × current, 4) and min/max', () => {
  it.each([
    [1, 7, 1, 10, 4, 'ScaleUpLimit'], [3, 20, 1, 10, 6, 'ScaleUpLimit'], [8, 20, 1, 10, 10, 'TooManyReplicas'],
    [5, 1, 2, 10, 2, 'TooFewReplicas'], [5, 3, 2, 10, 3, 'DesiredWithinRange'], [0, 9, 0, 10, 4, 'ScaleUpLimit'],
  ])('current %d, desired %d, [%d, %d] → %d (%s)', (current, desired, min, max, expected, reason) => {
    expect(limitLegacy(current, desired, min, max)).toMatchObject({ replicas: expected, reason });
  });
});

describe('resolveBehavior: upstream defaults merged per field (000:13405-13417)', () => {
  it('fills every missing field', () => {
    expect(resolveBehavior({})).toEqual({
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
      scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
    });
    expect(resolveBehavior({ scaleDown: { selectPolicy: 'Min' } }).scaleDown).toEqual({ stabilizationWindowSeconds: 300, selectPolicy: 'Min', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] });
  });
});
