export {
  HPA_DEFAULTS, type Behavior, type History, type HpaConditions, type HpaInput, type HpaRecommendation, type Instant, type MetricInput, type MetricType,
  type PodPhase, type PodSample, type QuantityValue, type ScalingPolicy, type ScalingRules, type SelectPolicy, type TargetType, type Tolerances,
} from './hpa.types';
export { recommendReplicas } from './hpa.recommender';
export { resolveBehavior, scaleDownLimit, scaleUpLimit, type ResolvedBehavior, type ResolvedRules } from './behavior.limiter';
export { isWithin } from './replica.calculator';
export { describeMetric } from './metric.proposals';
export { decisionView, recordEvaluation, simulate, type RecordedDecision, type SimulationOverrides } from './decision.simulator';
export { conditionList } from './hpa.conditions';
export { nativeHpaManifest } from './native.manifest';
export {
  DEFAULT_LINEAR, ladderReplicas, linearReplicas, proportionalReplicas, type LadderParams, type LinearParams, type ProportionalInput,
} from './proportional.scaler';
export { validateAutoscalerRequest, validateProportionalRequest, validateRecommendationRequest, validateSimulateRequest } from './request.validation';
export {
  bullmqBacklog, jetstreamBacklog, parseExternalValue, toMetricInput, type BullmqCounts, type JetstreamConsumerInfo, type Observation,
} from './managed.metrics';
export {
  decimalQuantity, durationSeconds, podRequest, podSamples, readyPodCount, selectorMatches, type LabelSelectorLike, type PodLike, type PodMetricsLike,
} from './pod.samples';
