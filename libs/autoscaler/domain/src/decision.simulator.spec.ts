import { ago, cpu, hpa, NOW_MS, samples } from './hpa.fixtures';
import type { HpaInput } from './hpa.types';
import { recommendReplicas } from './hpa.recommender';
import { decisionView, recordEvaluation, simulate, type RecordedDecision } from './decision.simulator';
import { conditionList } from './hpa.conditions';

const at = (seconds: number): string => new Date(NOW_MS + seconds * 1000).toISOString();
/** A load that wants 10 replicas whatever the count: 80 replicas at 12 % of a 100 % target… */
const evaluation = (current: number, seconds: number): HpaInput =>
  hpa(current, [cpu(100, samples(Array(current).fill(Math.floor(1000 / current))))], { now: at(seconds), maxReplicas: 100 });

/** Runs the algorithm as the managed loop would, recording each decision and feeding the count back. */
const record = (start: number, steps: number, base: Partial<HpaInput>): RecordedDecision[] => {
  const decisions: RecordedDecision[] = [];
  let current = start;
  let history = base.history;
  for (let n = 0; n < steps; n++) {
    const input = { ...evaluation(current, n * 61), ...base, history };
    const result = recommendReplicas(input);
    decisions.push({ at: at(n * 61), input, desiredReplicas: result.desiredReplicas });
    history = recordEvaluation(history, at(n * 61), current, result);
    current = result.desiredReplicas;
  }
  return decisions;
};

describe('simulate', () => {
  const behavior = { scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods' as const, value: 4, periodSeconds: 60 }, { type: 'Percent' as const, value: 10, periodSeconds: 60 }] } };

  it('replays the recorded decisions identically without overrides', () => {
    const decisions = record(80, 4, { behavior });
    expect(decisions.map((d) => d.desiredReplicas)).toEqual([72, 64, 57, 51]);
    expect(simulate(decisions, {}).map((i) => i.simulated)).toEqual([72, 64, 57, 51]);
  });

  it('answers "what if": another behavior, tolerance or maxReplicas', () => {
    const decisions = record(80, 3, { behavior });
    expect(simulate(decisions, { behavior: { scaleDown: { stabilizationWindowSeconds: 0 } } })).toEqual([
      { at: at(0), actual: 72, simulated: 10 }, { at: at(61), actual: 64, simulated: 10 }, { at: at(122), actual: 57, simulated: 10 },
    ]);
    expect(simulate(decisions, { maxReplicas: 70 }).map((i) => i.simulated)).toEqual([70, 70, 57]);
    expect(simulate(decisions, { tolerance: 100 }).map((i) => i.simulated)).toEqual([80, 72, 64]);
  });

  it('keeps the order given (newest first, as the decisions endpoint lists them)', () => {
    const decisions = record(80, 2, { behavior }).reverse();
    expect(simulate(decisions, {}).map((i) => i.at)).toEqual([at(61), at(0)]);
  });

  it("carries its own stabilization memory, seeded with the oldest record's: a 300 s window would have held every step", () => {
    const decisions = record(80, 3, { behavior, history: { recommendations: [{ at: ago(100), replicas: 80 }] } });
    expect(decisions.map((d) => d.desiredReplicas)).toEqual([72, 64, 57]);
    const held = simulate(decisions, { behavior: { scaleDown: { stabilizationWindowSeconds: 300 } } });
    // each evaluation keeps its recorded count (80, 72, 64): holding means simulated = that count
    expect(held.map((i) => i.simulated)).toEqual([80, 72, 64]);
  });
});

describe('recordEvaluation', () => {
  it('keeps the recommendation and the scale event (80 → 10 without behavior), and forgets what is older than an hour', () => {
    const result = recommendReplicas(evaluation(80, 0));
    const history = recordEvaluation({ recommendations: [{ at: ago(3601), replicas: 9 }, { at: ago(10), replicas: 80 }] }, at(0), 80, result);
    expect(history).toEqual({
      recommendations: [{ at: ago(10), replicas: 80 }, { at: at(0), replicas: 10 }],
      scaleUpEvents: [],
      scaleDownEvents: [{ at: at(0), change: 70 }],
    });
  });
});

describe('views', () => {
  it('a decision lists what was decided, from what, and why', () => {
    const result = recommendReplicas(hpa(1, [cpu(50, samples([305]))], { maxReplicas: 10 }));
    expect(decisionView(NOW_MS, 1, result)).toEqual({
      at: '2026-12-01T20:00:00.000Z', currentReplicas: 1, desiredReplicas: 4, recommendation: 7, limitedBy: 'scaleUpPolicy',
      perMetric: [{ name: 'cpu', proposal: 7, current: '305' }], explanation: 'New size: 4; reason: cpu resource utilization (percentage of request) above target',
    });
    expect(conditionList(result.conditions).map((c) => `${c.type} ${c.status} ${c.reason}`)).toEqual([
      'AbleToScale True ReadyForNewScale', 'ScalingActive True ValidMetricFound', 'ScalingLimited True ScaleUpLimit',
    ]);
  });
});
