// Spec builders: an HPA input in the recommendation request's shape.
import type { HpaInput, MetricInput, PodSample } from './hpa.types';

export const NOW = '2026-12-01T20:00:00Z';
export const NOW_MS = Date.parse(NOW);
/** An ISO time `seconds` before NOW. */
export const ago = (seconds: number): string => new Date(NOW_MS - seconds * 1000).toISOString();

/** Pods `p0…` with one sample each; `undefined` = the metric is missing for that pod. */
export const samples = (values: (number | string | undefined)[], extra: Partial<PodSample> = {}): PodSample[] =>
  values.map((value, i) => (value === undefined ? { name: `p${i}`, ...extra } : { name: `p${i}`, value, ...extra }));

export const cpu = (target: number | string, pods: PodSample[]): MetricInput => ({
  name: 'cpu', type: 'Resource', resource: 'cpu', target: { type: 'Utilization', value: target }, pods,
});

export const podsMetric = (name: string, target: number | string, pods: PodSample[]): MetricInput => ({
  name, type: 'Pods', target: { type: 'AverageValue', value: target }, pods,
});

export const external = (name: string, type: 'Value' | 'AverageValue', target: number | string, value?: number | string, activation?: number): MetricInput => ({
  name, type: 'External', target: { type, value: target }, ...(value === undefined ? {} : { value }), ...(activation === undefined ? {} : { activation }),
});

export const hpa = (currentReplicas: number, metrics: MetricInput[], extra: Partial<HpaInput> = {}): HpaInput => ({
  currentReplicas, minReplicas: 1, maxReplicas: 100, now: NOW, metrics, ...extra,
});
