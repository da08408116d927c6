import { errorsOf, valueOf } from '@bosun/testing';
import type { HpaInput } from './hpa.types';
import { recommendReplicas } from './hpa.recommender';
import { validateAutoscalerRequest, validateProportionalRequest, validateRecommendationRequest, validateSimulateRequest } from './request.validation';

const cpuMetric = { name: 'cpu', type: 'Resource', resource: 'cpu', target: { type: 'Utilization', value: 50 }, pods: [{ name: 'a', value: 305 }] };
const recommendation = { currentReplicas: 1, minReplicas: 1, maxReplicas: 10, metrics: [cpuMetric] };
const withMetric = (metric: Record<string, unknown>): Record<string, unknown> => ({ ...recommendation, metrics: [{ ...cpuMetric, ...metric }] });

describe('validateRecommendationRequest', () => {
  it('accepts the walkthrough and quantities as strings or numbers', () => {
    expect(valueOf(validateRecommendationRequest(recommendation)).metrics[0].target.value).toBe(50);
    valueOf(validateRecommendationRequest(withMetric({ type: 'Pods', resource: undefined, target: { type: 'AverageValue', value: '100m' }, pods: [{ name: 'a', value: '200m' }] })));
    valueOf(validateRecommendationRequest(withMetric({ type: 'External', resource: undefined, pods: undefined, target: { type: 'AverageValue', value: 30 }, value: '1.5k' })));
  });

  it.each([
    [{ ...recommendation, currentReplicas: -1 }, 'currentReplicas', 'currentReplicas must be 0 or more'],
    [{ ...recommendation, currentReplicas: 1.5 }, 'currentReplicas', 'currentReplicas must be an integer'],
    [{ ...recommendation, minReplicas: 11 }, 'minReplicas', 'minReplicas (11) must be less than or equal to maxReplicas (10)'],
    [{ ...recommendation, maxReplicas: 0, minReplicas: 0, metrics: [{ name: 'q', type: 'External', target: { type: 'Value', value: 1 } }] }, 'maxReplicas', 'maxReplicas must be 1 or more'],
    [{ ...recommendation, minReplicas: 0 }, 'minReplicas', 'minReplicas may be 0 only when every metric is External (metrics.0 is Resource)'],
    [{ ...recommendation, metrics: [] }, 'metrics', 'at least one metric is required'],
    [{ ...recommendation, tolerance: -0.1 }, 'tolerance', 'tolerance must be 0 or more'],
    [{ ...recommendation, now: 'yesterday' }, 'now', 'must be an ISO 8601 date-time such as 2026-12-01T20:00:00Z'],
    [withMetric({ type: 'Custom' }), 'metrics.0.type', 'type must be Resource, Pods, Object or External'],
    [withMetric({ target: { type: 'Value', value: 50 } }), 'metrics.0.target.type', 'a Resource metric allows target type Utilization or AverageValue, not Value'],
    [withMetric({ type: 'Pods', resource: undefined, target: { type: 'Utilization', value: 50 } }), 'metrics.0.target.type', 'a Pods metric allows target type AverageValue, not Utilization'],
    [withMetric({ type: 'Object', resource: undefined, pods: undefined, target: { type: 'Utilization', value: 50 } }), 'metrics.0.target.type', 'an Object metric allows target type Value or AverageValue, not Utilization'],
    [withMetric({ target: { type: 'Percent', value: 50 } }), 'metrics.0.target.type', 'target.type must be Utilization, AverageValue or Value'],
    [withMetric({ resource: undefined }), 'metrics.0.resource', 'a Resource metric needs resource: cpu or memory'],
    [withMetric({ resource: 'gpu' }), 'metrics.0.resource', 'resource must be cpu or memory'],
    [withMetric({ target: { type: 'Utilization', value: '50 percent' } }), 'metrics.0.target.value', 'must be a Kubernetes quantity such as 100m, 0.5, 500Mi or 1k, or a number'],
    [withMetric({ target: { type: 'Utilization', value: 0 } }), 'metrics.0.target.value', 'Invalid value: "0": must be greater than 0'],
    [withMetric({ target: { type: 'Utilization', value: '50.5' } }), 'metrics.0.target.value', 'Invalid value: "50.5": a Utilization target is a whole percentage of the request, such as 50'],
    [withMetric({ target: { type: 'AverageValue', value: '0m' } }), 'metrics.0.target.value', 'Invalid value: "0m": must be greater than 0'],
    [withMetric({ pods: [{ name: 'a', value: '12 cores' }] }), 'metrics.0.pods.0.value', 'must be a Kubernetes quantity such as 100m, 0.5, 500Mi or 1k, or a number'],
    [withMetric({ pods: [{ name: 'a', value: 1, phase: 'Crashing' }] }), 'metrics.0.pods.0.phase', 'Invalid option: expected one of "Pending"|"Running"|"Succeeded"|"Failed"|"Unknown"'],
    [{ ...recommendation, metrics: [cpuMetric, cpuMetric] }, 'metrics.1.name', 'Duplicate value: "cpu"'],
    [withMetric({ pods: [{ name: 'a', usage: '250m' }] }), 'metrics.0.pods.0.request', "a usage sample needs the pod's request"],
    [withMetric({ value: 50 }), 'metrics.0.value', 'a Resource metric takes one sample per pod in pods, not value'],
    [withMetric({ type: 'Object', resource: undefined, target: { type: 'Value', value: 5 } }), 'metrics.0.pods', 'an Object metric takes its observed value in value, not pods'],
    [withMetric({ activation: 3 }), 'metrics.0.activation', 'activation is only for External metrics'],
    [{ ...recommendation, behavior: { scaleDown: { selectPolicy: 'Fastest' } } }, 'behavior.scaleDown.selectPolicy', 'selectPolicy must be Max, Min or Disabled'],
    [{ ...recommendation, behavior: { scaleUp: { policies: [{ type: 'Pods', value: 0, periodSeconds: 15 }] } } }, 'behavior.scaleUp.policies.0.value', 'value must be greater than 0'],
    [{ ...recommendation, behavior: { scaleUp: { policies: [{ type: 'Pods', value: 4, periodSeconds: 1801 }] } } }, 'behavior.scaleUp.policies.0.periodSeconds', 'periodSeconds must be at most 1800'],
    [{ ...recommendation, behavior: { scaleUp: { policies: [] } } }, 'behavior.scaleUp.policies', 'must specify at least one Policy'],
    [{ ...recommendation, behavior: { scaleDown: { stabilizationWindowSeconds: 3601 } } }, 'behavior.scaleDown.stabilizationWindowSeconds', 'must be at most 3600'],
    [{ ...recommendation, history: { recommendations: [{ at: '2026-12-01T20:00:00Z', replicas: -2 }] } }, 'history.recommendations.0.replicas', 'replicas must be 0 or more'],
  ])('%j → %s', (body, path, message) => {
    expect(errorsOf(validateRecommendationRequest(body))).toEqual([{ path, message }]);
  });

  it('a validated body is the algorithm\'s input as it is', () => {
    const input: HpaInput = valueOf(validateRecommendationRequest({ ...recommendation, now: '2026-12-01T20:00:00Z' }));
    expect(recommendReplicas(input)).toMatchObject({ desiredReplicas: 4, recommendation: 7 });
  });

  it('allows minReplicas 0 when every metric is External', () => {
    const body = { ...recommendation, minReplicas: 0, metrics: [{ name: 'jobs', type: 'External', target: { type: 'AverageValue', value: 30 }, value: 0, activation: 5 }] };
    expect(valueOf(validateRecommendationRequest(body)).minReplicas).toBe(0);
  });
});

const autoscaler = {
  target: { kind: 'Deployment', namespace: 'shop', name: 'worker' },
  minReplicas: 1,
  maxReplicas: 10,
  metrics: [{ name: 'cpu', type: 'Resource', resource: 'cpu', target: { type: 'Utilization', value: 60 } }],
};
const queueMetric = { name: 'jobs', type: 'Queue', queue: { kind: 'bullmq', name: 'emails' }, target: { type: 'AverageValue', value: 30 } };

describe('validateAutoscalerRequest', () => {
  it('applies the defaults: intervalSeconds 15, mode managed', () => {
    expect(valueOf(validateAutoscalerRequest(autoscaler))).toMatchObject({ intervalSeconds: 15, mode: 'managed' });
  });

  it('accepts Queue metrics of both kinds and scale to zero on them', () => {
    const jetstream = { name: 'orders', type: 'Queue', queue: { kind: 'jetstream', stream: 'ORDERS', consumer: 'worker', natsUrl: 'nats://nats:4222' }, target: { type: 'AverageValue', value: 10 }, activation: 0 };
    const external = { name: 'lag', type: 'External', url: 'http://metrics.example/lag', target: { type: 'Value', value: '1k' } };
    valueOf(validateAutoscalerRequest({ ...autoscaler, minReplicas: 0, metrics: [queueMetric, jetstream, external] }));
  });

  it.each([
    [{ ...autoscaler, intervalSeconds: 0 }, 'intervalSeconds', 'intervalSeconds must be between 1 and 3600'],
    [{ ...autoscaler, intervalSeconds: 3601 }, 'intervalSeconds', 'intervalSeconds must be between 1 and 3600'],
    [{ ...autoscaler, mode: 'hybrid' }, 'mode', 'mode must be managed or native'],
    [{ ...autoscaler, target: { ...autoscaler.target, kind: 'DaemonSet' } }, 'target.kind', 'kind must be Deployment or StatefulSet'],
    [{ ...autoscaler, target: { ...autoscaler.target, namespace: 'Shop' } }, 'target.namespace', "namespace must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit"],
    [{ ...autoscaler, minReplicas: -1 }, 'minReplicas', 'minReplicas must be 0 or more'],
    [{ ...autoscaler, minReplicas: 0 }, 'minReplicas', 'minReplicas may be 0 only when every metric is Queue or External (metrics.0 is Resource)'],
    [{ ...autoscaler, mode: 'native', metrics: [queueMetric] }, 'metrics.0.type', 'a native autoscaler (autoscaling/v2 HorizontalPodAutoscaler) supports only Resource metrics, not Queue metric "jobs"'],
    [{ ...autoscaler, metrics: [{ ...queueMetric, queue: undefined }] }, 'metrics.0.queue', 'a Queue metric needs queue: {kind: bullmq, name} or {kind: jetstream, stream, consumer}'],
    [{ ...autoscaler, metrics: [{ ...queueMetric, queue: { kind: 'kafka', topic: 'x' } }] }, 'metrics.0.queue.kind', 'queue.kind must be bullmq or jetstream'],
    [{ ...autoscaler, metrics: [{ ...queueMetric, queue: { kind: 'jetstream', stream: 'S' } }] }, 'metrics.0.queue.consumer', 'consumer is required'],
    [{ ...autoscaler, metrics: [{ ...queueMetric, target: { type: 'Value', value: 30 } }] }, 'metrics.0.target.type', 'a Queue metric allows target type AverageValue, not Value'],
    [{ ...autoscaler, metrics: [{ name: 'lag', type: 'External', target: { type: 'Value', value: 1 } }] }, 'metrics.0.url', 'an External metric needs url'],
    [{ ...autoscaler, metrics: [{ ...autoscaler.metrics[0], type: 'Pods' }] }, 'metrics.0.type', 'type must be Resource, Queue or External'],
    [{ ...autoscaler, metrics: [{ ...autoscaler.metrics[0], target: { type: 'Utilization', value: '-5' } }] }, 'metrics.0.target.value', 'must be a Kubernetes quantity such as 100m, 0.5, 500Mi or 1k, or a number'],
    [{ ...autoscaler, metrics: [{ ...queueMetric, target: { type: 'AverageValue', value: 0 } }] }, 'metrics.0.target.value', 'Invalid value: "0": must be greater than 0'],
    [{ ...autoscaler, mode: 'native', tolerance: 0.2 }, 'tolerance', "a native autoscaler uses the cluster's tolerance (kube-controller-manager --horizontal-pod-autoscaler-tolerance)"],
    [{ ...autoscaler, mode: 'native', behavior: { scaleUp: { tolerance: 0.05 } } }, 'behavior.scaleUp.tolerance', "a native autoscaler uses the cluster's tolerance (kube-controller-manager --horizontal-pod-autoscaler-tolerance)"],
    [{ ...autoscaler, metrics: [{ ...autoscaler.metrics[0], activation: 1 }] }, 'metrics.0.activation', 'activation is only for Queue and External metrics'],
  ])('%j → %s', (body, path, message) => {
    expect(errorsOf(validateAutoscalerRequest(body))).toEqual([{ path, message }]);
  });
});

describe('validateProportionalRequest and validateSimulateRequest', () => {
  it.each([
    [{ nodes: -1, cores: 4 }, 'nodes', 'nodes must be 0 or more'],
    [{ nodes: 1.5, cores: 4 }, 'nodes', 'nodes must be an integer'],
    [{ nodes: 1, cores: 4, linear: { min: 1 } }, 'linear.coresPerReplica', 'should at least provide either coresPerReplica or nodesPerReplica (greater than 0)'],
    [{ nodes: 1, cores: 4, linear: { nodesPerReplica: 16, min: 5, max: 2 } }, 'linear.max', 'max replicas count 2 should be greater than / equal to min replicas count 5'],
    [{ nodes: 1, cores: 4, linear: { coresPerReplica: -1 } }, 'linear.coresPerReplica', 'coresPerReplica must be 0 or more'],
    [{ nodes: 1, cores: 4, linear: { coresPerReplica: 1 }, ladder: {} }, 'ladder', 'give either linear or ladder, not both'],
    [{ nodes: 1, cores: 4, ladder: { coresToReplicasMap: [[1, -1]] } }, 'ladder.coresToReplicasMap.0.1', 'must be 0 or more'],
  ])('%j → %s', (body, path, message) => {
    expect(errorsOf(validateProportionalRequest(body))).toEqual([{ path, message }]);
  });

  it('accepts the seed defaults', () => {
    expect(valueOf(validateProportionalRequest({ nodes: 3, cores: 12, linear: { coresPerReplica: 256, nodesPerReplica: 16, min: 1 } })).linear?.min).toBe(1);
  });

  it('checks simulate overrides', () => {
    expect(errorsOf(validateSimulateRequest({ minReplicas: 5, maxReplicas: 2 }))).toEqual([{ path: 'minReplicas', message: 'minReplicas (5) must be less than or equal to maxReplicas (2)' }]);
    expect(valueOf(validateSimulateRequest({ tolerance: 0.2 }))).toEqual({ tolerance: 0.2 });
  });
});
