import * as api from './index';

it('exports the public API and nothing of the internals', () => {
  expect(Object.keys(api).sort()).toEqual([
    'DEFAULT_LINEAR', 'HPA_DEFAULTS', 'conditionList', 'decisionView', 'describeMetric', 'isWithin', 'ladderReplicas', 'linearReplicas', 'nativeHpaManifest',
    'proportionalReplicas', 'recommendReplicas', 'recordEvaluation', 'resolveBehavior', 'scaleDownLimit', 'scaleUpLimit', 'simulate',
    'validateAutoscalerRequest', 'validateProportionalRequest', 'validateRecommendationRequest', 'validateSimulateRequest',
  ]);
});
