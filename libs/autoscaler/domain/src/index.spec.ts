import * as api from './index';

it('exports the public API and nothing of the internals', () => {
  expect(Object.keys(api).sort()).toEqual([
    'DEFAULT_LINEAR', 'HPA_DEFAULTS', 'bullmqBacklog', 'conditionList', 'decimalQuantity', 'decisionView', 'describeMetric', 'durationSeconds', 'isWithin', 'jetstreamBacklog', 'ladderReplicas', 'linearReplicas', 'nativeHpaManifest',
    'parseExternalValue', 'podRequest', 'podSamples', 'proportionalReplicas', 'readyPodCount', 'recommendReplicas', 'recordEvaluation', 'resolveBehavior', 'scaleDownLimit', 'scaleUpLimit',
    'selectorMatches', 'simulate', 'toMetricInput',
    'validateAutoscalerRequest', 'validateProportionalRequest', 'validateRecommendationRequest', 'validateSimulateRequest',
  ]);
});
