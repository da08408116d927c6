import * as api from './index';

it('exports the public API and nothing of the internals', () => {
  expect(Object.keys(api).sort()).toEqual([
    'DEFAULT_LINEAR', 'HPA_DEFAULTS', 'bullmqBacklog', 'conditionList', 'decisionView', 'describeMetric', 'isWithin', 'jetstreamBacklog', 'ladderReplicas', 'linearReplicas', 'nativeHpaManifest',
    'parseExternalValue', 'proportionalReplicas', 'recommendReplicas', 'recordEvaluation', 'resolveBehavior', 'scaleDownLimit', 'scaleUpLimit', 'simulate', 'toMetricInput',
    'validateAutoscalerRequest', 'validateProportionalRequest', 'validateRecommendationRequest', 'validateSimulateRequest',
  ]);
});
