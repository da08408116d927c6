import { ALLOWED_TARGET_TYPES, type AutoscalerCondition, type MetricProposal } from '@bosun/contracts';
import type { MetricInput, PodSample, Tolerances } from './hpa.types';
import { groupPods, type PodGroups } from './pod.grouping';
import { milliOf } from './quantity.values';
import { averageReplicas, perPodReplicas, utilizationReplicas, valueReplicas, type Calculation } from './replica.calculator';

// One metric spec → one proposal, as upstream's `computeReplicasForMetric` dispatches by source
// type (000:13600-13756), with its names for the metric ("cpu resource utilization (percentage
// of request)", "pods metric x") and its failure reasons (FailedGetResourceMetric, …).

export interface MetricContext {
  currentReplicas: number;
  readyPods: number;
  tolerances: Tolerances;
  nowMs: number;
}

/** The proposal for the output, plus what the aggregation needs. */
export interface MetricOutcome {
  view: MetricProposal;
  /** Upstream's description of the metric, used in conditions and the explanation. */
  description: string;
  /** Set when the metric failed: the ScalingActive=False condition it would cause. */
  failure?: AutoscalerCondition;
  /** External and Queue: the observed total, to compare with `activation`. */
  observedMilli?: number;
}

const NO_PODS: readonly PodSample[] = [];

const FAILURE_REASONS: Record<string, string> = {
  Resource: 'FailedGetResourceMetric', Pods: 'FailedGetPodsMetric', Object: 'FailedGetObjectMetric', External: 'FailedGetExternalMetric', Queue: 'FailedGetExternalMetric',
};

/** Upstream's words for the metric in `ValidMetricFound` and `New size: …; reason: <this> above target`. */
export const describeMetric = (metric: MetricInput): string => {
  switch (metric.type) {
    case 'Resource':
      return metric.target.type === 'Utilization' ? `${metric.resource} resource utilization (percentage of request)` : `${metric.resource} resource`;
    case 'Pods': return `pods metric ${metric.name}`;
    case 'Object': return `object metric ${metric.name}`;
    case 'Queue': return `queue metric ${metric.name}`;
    default: return `external metric ${metric.name}`;
  }
};

const unableCondition = (reason: string, error: string): AutoscalerCondition => ({
  status: 'False', reason, message: `the HPA was unable to compute the replica count: ${error}`,
});

const viewOf = (metric: MetricInput, calc: Calculation, groups?: PodGroups): MetricProposal => {
  const view: MetricProposal = calc.ok ? { name: metric.name, proposal: calc.replicas, current: calc.current } : { name: metric.name, error: calc.error };
  if (groups?.ignoredPods) view.ignoredPods = groups.ignoredPods;
  if (groups?.missingPods) view.missingPods = groups.missingPods;
  if (groups?.unreadyPods) view.unreadyPods = groups.unreadyPods;
  return view;
};

const podCalculation = (metric: MetricInput, targetMilli: number, ctx: MetricContext): { calc: Calculation; groups?: PodGroups } => {
  const pods = metric.pods ?? NO_PODS;
  if (pods.length === 0) return { calc: { ok: false, error: 'no pods returned by selector while calculating replica count' } };
  const utilization = metric.type === 'Resource' && metric.target.type === 'Utilization';
  const resource = metric.type === 'Resource' ? String(metric.resource) : '';
  const targetPercent = targetMilli / 1000;
  const groups = groupPods(pods, { utilization, resource, cpu: resource === 'cpu', nowMs: ctx.nowMs, fallbackPercent: Math.max(100, targetPercent) });
  if (groups.error !== undefined) return { calc: { ok: false, error: groups.error }, groups };
  const calc = utilization
    ? utilizationReplicas(ctx.currentReplicas, targetPercent, groups, ctx.tolerances)
    : averageReplicas(ctx.currentReplicas, targetMilli, groups, ctx.tolerances);
  return { calc, groups };
};

/** Upstream wraps each source's error with what it tried to read. */
const wrapError = (metric: MetricInput, error: string): string => {
  switch (metric.type) {
    case 'Resource': return `failed to get ${metric.resource} ${metric.target.type === 'Utilization' ? 'utilization' : 'usage'}: ${error}`;
    case 'Pods': return `unable to get metric ${metric.name}: ${error}`;
    case 'Object': return `unable to get metric ${metric.name}: ${error}`;
    default: return `unable to get external metric ${metric.name}: ${error}`;
  }
};

const INVALID_TARGET: Record<string, string> = {
  Resource: 'invalid resource metric source: neither an average utilization target nor an average value (usage) target was set',
  Object: 'invalid object metric source: neither a value target nor an average value target was set',
  External: 'invalid external metric source: neither a value target nor an average value target was set',
  Queue: 'invalid queue metric source: only an average value (backlog per replica) target can be set',
  Pods: 'invalid pods metric source: only an average value target can be set',
};
const allows = (metric: MetricInput): boolean => ALLOWED_TARGET_TYPES[metric.type]?.includes(metric.target.type) === true;

const observedCalculation = (metric: MetricInput, targetMilli: number, ctx: MetricContext): { calc: Calculation; observed?: number } => {
  if (metric.value === undefined) return { calc: { ok: false, error: 'no value was observed' } };
  const observed = milliOf(metric.value);
  if (Number.isNaN(observed)) return { calc: { ok: false, error: `quantity "${metric.value}" is invalid` } };
  const calc = metric.target.type === 'Value'
    ? valueReplicas(ctx.currentReplicas, ctx.readyPods, observed, targetMilli, ctx.tolerances)
    : perPodReplicas(ctx.currentReplicas, observed, targetMilli, ctx.tolerances);
  return { calc, observed };
};

const failedOutcome = (metric: MetricInput, description: string, reason: string, error: string, groups?: PodGroups): MetricOutcome => ({
  view: viewOf(metric, { ok: false, error }, groups), description, failure: unableCondition(reason, error),
});

/** The proposal of one metric, or the ScalingActive=False condition its failure causes. */
export const proposeForMetric = (metric: MetricInput, ctx: MetricContext): MetricOutcome => {
  const description = describeMetric(metric);
  const reason = FAILURE_REASONS[metric.type];
  if (reason === undefined) return failedOutcome(metric, description, 'InvalidMetricSourceType', `unknown metric source type "${metric.type}"`);
  if (!allows(metric)) return failedOutcome(metric, description, reason, INVALID_TARGET[metric.type]);
  if (metric.error !== undefined) return failedOutcome(metric, description, reason, wrapError(metric, metric.error));
  const targetMilli = milliOf(metric.target.value);
  if (!(targetMilli > 0)) return failedOutcome(metric, description, reason, `target value "${metric.target.value}" must be a quantity greater than 0`);
  if (metric.type === 'Resource' || metric.type === 'Pods') {
    const { calc, groups } = podCalculation(metric, targetMilli, ctx);
    if (!calc.ok) return failedOutcome(metric, description, reason, wrapError(metric, calc.error), groups);
    return { view: viewOf(metric, calc, groups), description };
  }
  const { calc, observed } = observedCalculation(metric, targetMilli, ctx);
  if (!calc.ok) return failedOutcome(metric, description, reason, wrapError(metric, calc.error));
  return { view: viewOf(metric, calc), description, observedMilli: observed };
};
