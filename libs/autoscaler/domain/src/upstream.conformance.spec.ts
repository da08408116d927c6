import { ago, external, hpa, podsMetric } from './hpa.fixtures';
import type { MetricInput, PodSample } from './hpa.types';
import { recommendReplicas } from './hpa.recommender';

// The numbers of kube-controller-manager's own replica-calculator tests
// (pkg/controller/podautoscaler/replica_calculator_test.go, named in each row), run through
// this implementation with usage/request pairs as the managed loop sends them. Pods beyond
// the given levels have no sample (missing), as in upstream's fixtures.

interface PodSpec { requests?: string[]; ready?: boolean[]; phase?: PodSample['phase'][]; deleting?: boolean[]; hot?: boolean[] }

/** CPU pods: usage `level`m of request `requests[i]` (default 1 core); `count` pods in all. */
const cpuPods = (count: number, levels: number[], spec: PodSpec = {}): PodSample[] =>
  Array.from({ length: count }, (_, i) => {
    const pod: PodSample = { name: `pod-${i}`, request: spec.requests?.[i] ?? '1' };
    if (i < levels.length) pod.usage = `${levels[i]}m`;
    if (spec.ready?.[i] === false) Object.assign(pod, { ready: false, startTime: ago(600), readyTransitionTime: ago(600) });
    if (spec.phase?.[i]) pod.phase = spec.phase[i];
    if (spec.deleting?.[i]) pod.deleting = true;
    // a "hot" pod: started a minute ago, Ready for 30 s, its sample covers a window from before that
    if (spec.hot?.[i]) Object.assign(pod, { startTime: ago(60), readyTransitionTime: ago(30), metricTime: ago(0), metricWindowSeconds: 60 });
    return pod;
  });

const cpu = (target: number, pods: PodSample[]): MetricInput => ({ name: 'cpu', type: 'Resource', resource: 'cpu', target: { type: 'Utilization', value: target }, pods });
const T = true;
const F = false;

describe("upstream's replica calculator cases", () => {
  it.each([
    ['TestReplicaCalcScaleUp', 3, cpu(30, cpuPods(3, [300, 500, 700])), 5, '50'],
    ['TestReplicaCalcScaleUpUnreadyLessScale', 3, cpu(30, cpuPods(3, [300, 500, 700], { ready: [F, T, T] })), 4, '60'],
    ['TestReplicaCalcScaleUpHotCpuLessScale', 3, cpu(30, cpuPods(3, [300, 500, 700], { hot: [T, F, F] })), 4, '60'],
    ['TestReplicaCalcScaleUpUnreadyNoScale', 3, cpu(30, cpuPods(3, [400, 500, 700], { ready: [T, F, F] })), 3, '40'],
    ['TestReplicaCalcScaleUpIgnoresFailedPods', 2, cpu(30, cpuPods(4, [500, 700, 0, 0], { phase: [undefined, undefined, 'Failed', 'Failed'] })), 4, '60'],
    ['TestReplicaCalcScaleUpIgnoresDeletionPods', 2, cpu(30, cpuPods(4, [500, 700, 0, 0], { deleting: [F, F, T, T] })), 4, '60'],
    ['TestReplicaCalcScaleDown', 5, cpu(50, cpuPods(5, [100, 300, 500, 250, 250])), 3, '28'],
    ['TestReplicaCalcScaleDownExcludeUnreadyPods', 5, cpu(50, cpuPods(5, [100, 300, 500, 250, 250], { ready: [T, T, T, F, F] })), 2, '30'],
    ['TestReplicaCalcScaleDownExcludeUnscheduledPods', 5, cpu(50, cpuPods(5, [100], { phase: [undefined, 'Pending', 'Pending', 'Pending', 'Pending'] })), 1, '10'],
    ['TestReplicaCalcScaleDownIgnoreHotCpuPods', 5, cpu(50, cpuPods(5, [100, 300, 500, 250, 250], { hot: [F, F, F, T, T] })), 2, '30'],
    ['TestReplicaCalcScaleDownIgnoresFailedPods', 5, cpu(50, cpuPods(7, [100, 300, 500, 250, 250, 0, 0], { phase: [undefined, undefined, undefined, undefined, undefined, 'Failed', 'Failed'] })), 3, '28'],
    ['TestReplicaCalcTolerance', 3, cpu(100, cpuPods(3, [1010, 1030, 1020], { requests: ['0.9', '1.0', '1.1'] })), 3, '102'],
    ['TestReplicaCalcMissingMetrics', 4, cpu(100, cpuPods(4, [400, 95])), 3, '24'],
    ['TestReplicaCalcMissingMetricsNoChangeEq', 2, cpu(100, cpuPods(2, [1000])), 2, '100'],
    ['TestReplicaCalcMissingMetricsNoChangeGt', 2, cpu(100, cpuPods(2, [1900])), 2, '190'],
    ['TestReplicaCalcMissingMetricsNoChangeLt', 2, cpu(100, cpuPods(2, [600])), 2, '60'],
    ['TestReplicaCalcMissingMetricsUnreadyChange', 3, cpu(50, cpuPods(3, [100, 450], { ready: [F, T, T] })), 3, '45'],
    ['TestReplicaCalcMissingMetricsHotCpuNoChange', 3, cpu(50, cpuPods(3, [100, 450], { hot: [T, F, F] })), 3, '45'],
    ['TestReplicaCalcMissingMetricsUnreadyScaleUp', 3, cpu(50, cpuPods(3, [100, 2000], { ready: [F, T, T] })), 4, '200'],
    ['TestReplicaCalcMissingMetricsHotCpuScaleUp', 3, cpu(50, cpuPods(3, [100, 2000], { ready: [F, T, T], hot: [T, F, F] })), 4, '200'],
    ['TestReplicaCalcMissingMetricsUnreadyScaleDown', 4, cpu(50, cpuPods(4, [100, 100, 100], { ready: [F, T, T, T] })), 3, '10'],
    ['TestReplicaCalcMissingMetricsScaleDownTargetOver100', 4, cpu(300, cpuPods(4, [200, 100, 100], { ready: [F, T, T, T], requests: ['1.0', '1.0', '2.0', '2.0'] })), 2, '6'],
    ['TestReplicaCalcDuringRollingUpdateWithMaxSurge', 2, cpu(50, cpuPods(3, [100, 100])), 2, '10'],
  ])('%s', (_, current, metric, replicas, utilization) => {
    expect(recommendReplicas(hpa(current, [metric], { maxReplicas: 100 })).perMetric[0]).toMatchObject({ proposal: replicas, current: utilization });
  });

  it.each([
    // Pods metrics: readiness plays no part outside CPU; usage is Σ/n truncated in milli-units
    ['TestReplicaCalcScaleUpCM', 3, podsMetric('qps', '15', [{ name: 'a', value: '20' }, { name: 'b', value: '10' }, { name: 'c', value: '30' }]), 4, '20'],
    ['TestReplicaCalcScaleUpCMUnreadyHotCpuNoLessScale', 3, podsMetric('qps', '15', [{ name: 'a', value: '50' }, { name: 'b', value: '10' }, { name: 'c', value: '30', ready: false }]), 6, '30'],
    ['TestReplicaCalcScaleUpCMUnreadyHotCpuScaleWouldScaleDown', 3, podsMetric('qps', '15', [{ name: 'a', value: '50', ready: false }, { name: 'b', value: '15' }, { name: 'c', value: '30', ready: false }]), 7, '31666m'],
    ['TestReplicaCalcScaleDownCM', 5, podsMetric('qps', '20', Array.from({ length: 5 }, (_, i) => ({ name: `p${i}`, value: '12' }))), 3, '12'],
    ['TestReplicaCalcToleranceCM', 3, podsMetric('qps', '20', [{ name: 'a', value: '20' }, { name: 'b', value: '21' }, { name: 'c', value: '21' }]), 3, '20666m'],
    ['TestPlainMetricReplicaCalcMissingMetricsNoChangeEq', 5, podsMetric('qps', '20', [{ name: 'a', value: '20' }, { name: 'b', value: '19' }, { name: 'c', value: '21' }, { name: 'd' }, { name: 'e' }]), 5, '20'],
    ['TestReplicaCalcDuringRollingUpdateWithMaxSurgeCM', 2, podsMetric('qps', '17', [{ name: 'a', value: '10' }, { name: 'b', value: '10' }, { name: 'c' }]), 2, '10'],
    // Object and External
    ['TestReplicaCalcScaleUpCMObject', 3, { name: 'qps', type: 'Object', target: { type: 'Value', value: '15' }, value: '20' } as MetricInput, 4, '20'],
    ['TestReplicaCalcScaleUpCMPerPodObject', 3, { name: 'qps', type: 'Object', target: { type: 'AverageValue', value: '5' }, value: '20' } as MetricInput, 4, '6667m'],
    ['TestReplicaCalcScaleDownPerPodCMObject', 5, { name: 'qps', type: 'Object', target: { type: 'AverageValue', value: '2' }, value: '6' } as MetricInput, 3, '1200m'],
    ['TestReplicaCalcScaleDownCMObject', 5, { name: 'qps', type: 'Object', target: { type: 'Value', value: '20' }, value: '12' } as MetricInput, 3, '12'],
    ['TestReplicaCalcToleranceCMObject', 3, { name: 'qps', type: 'Object', target: { type: 'Value', value: '20' }, value: '20666m' } as MetricInput, 3, '20666m'],
    ['TestReplicaCalcTolerancePerPodCMObject', 4, { name: 'qps', type: 'Object', target: { type: 'AverageValue', value: '5' }, value: '20166m' } as MetricInput, 4, '5042m'],
    ['TestReplicaCalcScaleUpPerPodCMExternal', 3, external('qps', 'AverageValue', '2150m', '8600m'), 4, '2867m'],
    ['TestReplicaCalcScaleDownCMExternal', 5, external('qps', 'Value', '14334m', '8600m'), 3, '8600m'],
    ['TestReplicaCalcScaleDownPerPodCMExternal', 5, external('qps', 'AverageValue', '2867m', '8600m'), 3, '1720m'],
    ['TestReplicaCalcToleranceCMExternal', 3, external('qps', 'Value', '8888m', '8600m'), 3, '8600m'],
    ['TestReplicaCalcTolerancePerPodCMExternal', 3, external('qps', 'AverageValue', '2900m', '8600m'), 3, '2867m'],
  ])('%s', (_, current, metric, replicas, usage) => {
    expect(recommendReplicas(hpa(current, [metric], { maxReplicas: 100 })).perMetric[0]).toMatchObject({ proposal: replicas, current: usage });
  });

  it.each([
    // Value targets multiply by the Running and Ready pods, not the replicas
    ['TestReplicaCalcScaleUpCMObjectIgnoresUnreadyPods', { name: 'qps', type: 'Object', target: { type: 'Value', value: '10' }, value: '50' } as MetricInput, 5],
    ['TestReplicaCalcScaleUpCMExternalIgnoresUnreadyPods', external('qps', 'Value', '4400m', '8600m'), 2],
  ])('%s (1 of 3 pods ready)', (_, metric, replicas) => {
    expect(recommendReplicas(hpa(3, [metric], { readyPods: 1 })).perMetric[0].proposal).toBe(replicas);
  });

  it('TestReplicaCalcEmptyCPURequest: a usage without a request fails the metric', () => {
    const r = recommendReplicas(hpa(1, [cpu(100, [{ name: 'pod-0', usage: '200m' }])]));
    expect(r.conditions.ScalingActive.message).toContain('missing request for');
  });
});
