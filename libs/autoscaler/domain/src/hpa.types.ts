import type { RecommendationResponse } from '@bosun/contracts';

// The HPA algorithm's input, shaped like the recommendation request (API.md) so a parsed
// body can be passed as is, plus what only the managed loop knows (usage/request pairs,
// readiness timestamps, a failed fetch, Queue metrics). Times are ISO strings or epoch ms.

/** A Kubernetes quantity as a string (`"100m"`, `"500Mi"`) or a plain number (`50`). */
export type QuantityValue = string | number;
export type Instant = string | number;
export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
export type MetricType = 'Resource' | 'Pods' | 'Object' | 'External' | 'Queue';
export type TargetType = 'Utilization' | 'AverageValue' | 'Value';

/** One pod's sample. Utilization: `value` is % of request, or give `usage` and `request`. No value = metric missing. */
export interface PodSample {
  name: string;
  value?: QuantityValue;
  usage?: QuantityValue;
  request?: QuantityValue;
  ready?: boolean;
  phase?: PodPhase;
  deleting?: boolean;
  startTime?: Instant;
  readyTransitionTime?: Instant;
  metricTime?: Instant;
  metricWindowSeconds?: number;
}

export interface MetricInput {
  name: string;
  type: MetricType | (string & {});
  resource?: 'cpu' | 'memory' | (string & {});
  target: { type: TargetType | (string & {}); value: QuantityValue };
  pods?: PodSample[];
  /** Object and External: the observed value (AverageValue: the total, divided by the current replicas). */
  value?: QuantityValue;
  /** External and Queue with minReplicas 0: the backlog at or below which the metric is inactive. */
  activation?: number;
  /** The managed loop could not read the metric (missing queue or consumer): the metric fails with these words. */
  error?: string;
}

export type SelectPolicy = 'Max' | 'Min' | 'Disabled';
export interface ScalingPolicy { type: 'Pods' | 'Percent'; value: number; periodSeconds: number }
export interface ScalingRules {
  stabilizationWindowSeconds?: number;
  selectPolicy?: SelectPolicy;
  policies?: ScalingPolicy[];
  tolerance?: number;
}
export interface Behavior { scaleUp?: ScalingRules; scaleDown?: ScalingRules }

export interface History {
  recommendations?: { at: Instant; replicas: number }[];
  scaleUpEvents?: { at: Instant; change: number }[];
  scaleDownEvents?: { at: Instant; change: number }[];
}

export interface HpaInput {
  currentReplicas: number;
  minReplicas?: number;
  maxReplicas: number;
  /** Running and Ready pods (Object/External Value targets multiply by it); defaults to currentReplicas. */
  readyPods?: number;
  tolerance?: number;
  now?: Instant;
  metrics: MetricInput[];
  behavior?: Behavior;
  history?: History;
}

/** AbleToScale, ScalingActive, ScalingLimited, each `{status, reason, message}`. */
export type HpaConditions = RecommendationResponse['conditions'];
/** The recommendation endpoint's response: one definition, in the contracts. */
export type HpaRecommendation = RecommendationResponse;

/** kube-controller-manager's defaults (000:13183-13258). */
export const HPA_DEFAULTS = {
  tolerance: 0.1,
  cpuInitializationPeriodSeconds: 300,
  initialReadinessDelaySeconds: 30,
  downscaleStabilizationSeconds: 300,
  /** metrics-server's usual sample window, when a sample carries a time but no window. */
  metricWindowSeconds: 30,
} as const;

/** Scale-up and scale-down tolerances; a ratio inside [1 − down, 1 + up] (inclusive) does not scale. */
export interface Tolerances { up: number; down: number }
