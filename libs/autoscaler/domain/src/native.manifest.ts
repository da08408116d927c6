import type { AutoscalerCreateRequest } from '@bosun/contracts';
import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerBehavior, HPAScalingRules, MetricSpec } from 'kubernetes-types/autoscaling/v2';
import type { ScalingRules } from './hpa.types';

// mode "native": the same spec as an autoscaling/v2 HorizontalPodAutoscaler, so the cluster's
// own controller runs the algorithm this library reproduces. The request was validated: only
// Resource metrics, no tolerance (a native HPA uses the controller's).

const metricSpec = (metric: AutoscalerCreateRequest['metrics'][number]): MetricSpec => ({
  type: 'Resource',
  resource: {
    name: String(metric.resource),
    target: metric.target.type === 'Utilization'
      ? { type: 'Utilization', averageUtilization: Number(metric.target.value) }
      : { type: 'AverageValue', averageValue: String(metric.target.value) },
  },
});

const rules = (given: ScalingRules | undefined): HPAScalingRules | undefined => {
  if (given === undefined) return undefined;
  const out: HPAScalingRules = {};
  if (given.stabilizationWindowSeconds !== undefined) out.stabilizationWindowSeconds = given.stabilizationWindowSeconds;
  if (given.selectPolicy !== undefined) out.selectPolicy = given.selectPolicy;
  if (given.policies !== undefined) out.policies = given.policies.map((p) => ({ type: p.type, value: p.value, periodSeconds: p.periodSeconds }));
  return out;
};

const behaviorOf = (given: AutoscalerCreateRequest['behavior']): HorizontalPodAutoscalerBehavior | undefined => {
  if (given === undefined) return undefined;
  const out: HorizontalPodAutoscalerBehavior = {};
  const scaleUp = rules(given.scaleUp);
  const scaleDown = rules(given.scaleDown);
  if (scaleUp) out.scaleUp = scaleUp;
  if (scaleDown) out.scaleDown = scaleDown;
  return out;
};

/** The HorizontalPodAutoscaler a native autoscaler applies (named `name`, in the target's namespace). */
export const nativeHpaManifest = (request: AutoscalerCreateRequest, name: string, labels: Record<string, string> = {}): HorizontalPodAutoscaler => {
  const behavior = behaviorOf(request.behavior);
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, namespace: request.target.namespace, labels },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: request.target.kind, name: request.target.name },
      minReplicas: request.minReplicas ?? 1,
      maxReplicas: request.maxReplicas,
      metrics: request.metrics.map(metricSpec),
      ...(behavior ? { behavior } : {}),
    },
  };
};
