import type { AutoscalerCondition, LimitedBy, MetricProposal } from '@bosun/contracts';
import { limitLegacy, limitWithBehavior, resolveBehavior, stabilizeLegacy, stabilizeWithBehavior, type Limited } from './behavior.limiter';
import {
  ABOVE_MAX, BELOW_MIN, condition, keeping, limitedByOf, newSize, READY_FOR_NEW_SCALE, SCALING_DISABLED, SUCCEEDED_GET_SCALE, validMetricFound, WITHIN_RANGE,
} from './hpa.conditions';
import { HPA_DEFAULTS, type HpaConditions, type HpaInput, type HpaRecommendation, type Tolerances } from './hpa.types';
import { proposeForMetric, type MetricContext, type MetricOutcome } from './metric.proposals';
import { epochMs } from './quantity.values';

// upstream's reconcileAutoscaler + computeReplicasForMetrics + normalizeDesiredReplicas[WithBehaviors]
// (pkg/controller/podautoscaler/horizontal.go) as one pure function of the observations and
// the recorded history.

type Aggregate = { ok: true; replicas: number; description: string } | { ok: false; failure: AutoscalerCondition; message: string };

/**
 * The largest proposal; when every metric failed, or some failed and the rest would scale down,
 * the first failure instead (000:13245-13250).
 */
const aggregate = (outcomes: MetricOutcome[], current: number): Aggregate => {
  let replicas = 0;
  let description = '';
  let invalid = 0;
  let first: MetricOutcome | undefined;
  for (const outcome of outcomes) {
    if (outcome.failure !== undefined) {
      invalid++;
      first ??= outcome;
      continue;
    }
    const proposal = outcome.view.proposal ?? 0;
    if (description === '' || proposal > replicas) {
      replicas = proposal;
      description = outcome.description;
    }
  }
  if (first?.failure !== undefined && (invalid >= outcomes.length || replicas < current)) {
    return { ok: false, failure: first.failure, message: `invalid metrics (${invalid} invalid out of ${outcomes.length}), first error is: ${first.view.error}` };
  }
  return { ok: true, replicas, description };
};

/** Per-direction tolerances from `behavior` (KEP-4951), else the global one (000:13217-13220). */
const tolerancesOf = (input: HpaInput): Tolerances => {
  const global = input.tolerance ?? HPA_DEFAULTS.tolerance;
  return { up: input.behavior?.scaleUp?.tolerance ?? global, down: input.behavior?.scaleDown?.tolerance ?? global };
};

/**
 * Scale to zero (Bosun, as KEDA does for queues): with minReplicas 0 the target is inactive when
 * every observed backlog is at or below its `activation`; one above it keeps at least 1 replica.
 */
const isActive = (outcomes: MetricOutcome[], input: HpaInput): boolean =>
  outcomes.some((o, i) => o.failure === undefined && (o.observedMilli === undefined || o.observedMilli > (input.metrics[i].activation ?? 0) * 1000));

interface Normalized { desired: number; able: AutoscalerCondition; limited: Limited; stabilized: number }

const normalize = (input: HpaInput, current: number, recommendation: number, min: number, nowMs: number): Normalized => {
  const max = input.maxReplicas;
  if (input.behavior === undefined) {
    const stabilized = stabilizeLegacy(recommendation, input.history, nowMs);
    const able = stabilized !== recommendation
      ? condition('True', 'ScaleDownStabilized', 'recent recommendations were higher than current one, applying the highest recent recommendation')
      : READY_FOR_NEW_SCALE;
    const limited = limitLegacy(current, stabilized, min, max);
    return { desired: limited.replicas, able, limited, stabilized };
  }
  const behavior = resolveBehavior(input.behavior);
  const stable = stabilizeWithBehavior(current, recommendation, behavior, input.history, nowMs);
  const able = stable.replicas !== recommendation ? condition('True', stable.reason, stable.message) : READY_FOR_NEW_SCALE;
  const limited = limitWithBehavior(current, stable.replicas, min, max, behavior, input.history, nowMs);
  return { desired: limited.replicas, able, limited, stabilized: stable.replicas };
};

const result = (
  desiredReplicas: number, recommendation: number, perMetric: MetricProposal[], conditions: HpaConditions, explanation: string, limitedBy?: LimitedBy,
): HpaRecommendation => (limitedBy === undefined
  ? { desiredReplicas, recommendation, perMetric, conditions, explanation }
  : { desiredReplicas, recommendation, limitedBy, perMetric, conditions, explanation });

const disabled = (): HpaRecommendation =>
  result(0, 0, [], { AbleToScale: SUCCEEDED_GET_SCALE, ScalingActive: SCALING_DISABLED, ScalingLimited: WITHIN_RANGE }, keeping(0, SCALING_DISABLED.message));

/** Outside [min, max] upstream moves straight to the bound, without stabilization or rate limits. */
const outOfRange = (input: HpaInput, min: number, perMetric: MetricProposal[], agg: Aggregate): HpaRecommendation => {
  const above = input.currentReplicas > input.maxReplicas;
  const desired = above ? input.maxReplicas : min;
  const active = agg.ok ? validMetricFound(agg.description) : agg.failure;
  const conditions = { AbleToScale: SUCCEEDED_GET_SCALE, ScalingActive: active, ScalingLimited: above ? ABOVE_MAX : BELOW_MIN };
  const reason = above ? 'Current number of replicas above Spec.MaxReplicas' : 'Current number of replicas below Spec.MinReplicas';
  return result(desired, agg.ok ? agg.replicas : input.currentReplicas, perMetric, conditions, newSize(desired, reason), above ? 'maxReplicas' : 'minReplicas');
};

const rescaleReason = (current: number, recommendation: number, description: string, normalized: Normalized): string => {
  if (recommendation > current) return `${description} above target`;
  if (recommendation < current) return 'All metrics below target';
  return normalized.able.message;
};

const explain = (current: number, recommendation: number, description: string, normalized: Normalized, limitedBy: LimitedBy | undefined): string => {
  if (normalized.desired !== current) return newSize(normalized.desired, rescaleReason(current, recommendation, description, normalized));
  if (limitedBy === 'stabilization') return keeping(current, normalized.able.message);
  if (limitedBy !== undefined) return keeping(current, normalized.limited.message);
  return keeping(current, READY_FOR_NEW_SCALE.message);
};

const limitedByOfNormalized = (normalized: Normalized, recommendation: number): LimitedBy | undefined => {
  if (normalized.limited.replicas !== normalized.stabilized) return limitedByOf(normalized.limited.reason);
  return normalized.stabilized !== recommendation ? 'stabilization' : undefined;
};

/**
 * What kube-controller-manager's HPA controller would set as the target's replicas, from the
 * observed metrics and the recorded recommendations and scale events. Pure and deterministic
 * when `now` is given (otherwise the wall clock). Never throws: a metric that cannot be used
 * fails as upstream's would (ScalingActive=False with its reason).
 */
export const recommendReplicas = (input: HpaInput): HpaRecommendation => {
  const current = input.currentReplicas;
  const minReplicas = input.minReplicas ?? 1;
  if (current === 0 && minReplicas !== 0) return disabled();
  const nowMs = input.now === undefined ? Date.now() : epochMs(input.now);
  const ctx: MetricContext = { currentReplicas: current, readyPods: input.readyPods ?? current, tolerances: tolerancesOf(input), nowMs };
  const outcomes = input.metrics.map((metric) => proposeForMetric(metric, ctx));
  const perMetric = outcomes.map((o) => o.view);
  const agg = aggregate(outcomes, current);
  if (current > input.maxReplicas || current < minReplicas) return outOfRange(input, minReplicas, perMetric, agg);
  if (!agg.ok) {
    const conditions = { AbleToScale: SUCCEEDED_GET_SCALE, ScalingActive: agg.failure, ScalingLimited: WITHIN_RANGE };
    return result(current, current, perMetric, conditions, keeping(current, agg.message));
  }
  let recommendation = agg.replicas;
  let min = minReplicas;
  if (minReplicas === 0) {
    const active = isActive(outcomes, input);
    recommendation = active ? Math.max(recommendation, 1) : 0;
    min = active ? 1 : 0;
  }
  const normalized = normalize(input, current, recommendation, min, nowMs);
  const limitedBy = limitedByOfNormalized(normalized, recommendation);
  const scalingLimited = normalized.desired === normalized.stabilized
    ? condition('False', normalized.limited.reason, normalized.limited.message)
    : condition('True', normalized.limited.reason, normalized.limited.message);
  const conditions = { AbleToScale: normalized.able, ScalingActive: validMetricFound(agg.description), ScalingLimited: scalingLimited };
  return result(normalized.desired, recommendation, perMetric, conditions, explain(current, recommendation, agg.description, normalized, limitedBy), limitedBy);
};
