import { addQuantities, formatQuantity, parseQuantity } from '@bosun/quantity';
import type { Quantity } from '@bosun/quantity';
import type { PodPhase, PodSample } from './hpa.types';

// The managed loop's Resource observations as the algorithm's pod samples: the pods of the
// target (from a shared informer) joined with metrics.k8s.io PodMetrics by name. Only the
// fields read here are typed, so the apiserver's JSON is passed as is.

export interface PodLike {
  metadata: { name: string; deletionTimestamp?: string };
  spec?: { containers?: { resources?: { requests?: Record<string, string> } }[] };
  status?: { phase?: string; startTime?: string; conditions?: { type: string; status: string; lastTransitionTime?: string }[] };
}
export interface PodMetricsLike {
  metadata: { name: string };
  timestamp?: string;
  window?: string;
  containers?: { name: string; usage?: Record<string, string> }[];
}

/**
 * metrics-server writes CPU in nano-cores (`300020596n`), a suffix the API's quantity grammar
 * has but requests never use: rewritten as the exact decimal (`0.300020596`).
 */
export const decimalQuantity = (text: string): string => {
  const m = /^([+-]?)(\d+)(n|u)$/.exec(text);
  if (!m) return text;
  const places = m[3] === 'n' ? 9 : 6;
  const digits = m[2].padStart(places + 1, '0');
  return `${m[1]}${digits.slice(0, -places)}.${digits.slice(-places)}`;
};

const sum = (texts: (string | undefined)[]): string | undefined => {
  const parsed: Quantity[] = [];
  for (const text of texts) {
    const q = text === undefined ? undefined : parseQuantity(decimalQuantity(text));
    if (!q?.ok) return undefined;
    parsed.push(q.value);
  }
  return parsed.length === 0 ? undefined : formatQuantity(addQuantities(...parsed));
};

/** `"10s"`, `"10.5s"` or `"1m30s"` as seconds (metrics-server writes a Go duration). */
export const durationSeconds = (text: string | undefined): number | undefined => {
  if (!text) return undefined;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)];
  if (parts.length === 0) return undefined;
  const unit: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
  const seconds = parts.reduce((total, [, n, u]) => total + Number(n) * unit[u], 0);
  return seconds > 0 ? seconds : undefined;
};

/** A pod's request for `resource`: the sum over its containers, undefined when one of them sets none (upstream: "missing request"). */
export const podRequest = (pod: PodLike, resource: string): string | undefined => {
  const containers = pod.spec?.containers ?? [];
  return containers.length === 0 ? undefined : sum(containers.map((c) => c.resources?.requests?.[resource]));
};

const PHASES: readonly string[] = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'];

const readiness = (pod: PodLike, sample: PodSample): void => {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  sample.ready = ready?.status === 'True';
  if (pod.status?.phase && PHASES.includes(pod.status.phase)) sample.phase = pod.status.phase as PodPhase;
  if (pod.metadata.deletionTimestamp) sample.deleting = true;
  if (pod.status?.startTime) sample.startTime = pod.status.startTime;
  if (ready?.lastTransitionTime) sample.readyTransitionTime = ready.lastTransitionTime;
};

const usageOf = (m: PodMetricsLike | undefined, resource: string, sample: PodSample): void => {
  const usage = m ? sum((m.containers ?? []).map((c) => c.usage?.[resource] ?? '0')) : undefined;
  if (usage === undefined) return;
  sample.usage = usage;
  if (m?.timestamp) sample.metricTime = m.timestamp;
  const window = durationSeconds(m?.window);
  if (window !== undefined) sample.metricWindowSeconds = window;
};

/** One sample per pod; a pod without PodMetrics has no usage (a missing metric, as upstream sets it aside). */
export const podSamples = (pods: readonly PodLike[], metrics: ReadonlyMap<string, PodMetricsLike>, resource: string): PodSample[] =>
  pods.map((pod) => {
    const sample: PodSample = { name: pod.metadata.name };
    readiness(pod, sample);
    const request = podRequest(pod, resource);
    if (request !== undefined) sample.request = request;
    usageOf(metrics.get(pod.metadata.name), resource, sample);
    return sample;
  });

/** Pods Running and Ready (what Object/External Value targets multiply by). */
export const readyPodCount = (pods: readonly PodLike[]): number =>
  pods.filter((p) => !p.metadata.deletionTimestamp && p.status?.phase === 'Running' && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;

export interface LabelSelectorLike {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

const expressionMatches = (labels: Record<string, string>, e: { key: string; operator: string; values?: string[] }): boolean => {
  const has = Object.prototype.hasOwnProperty.call(labels, e.key);
  switch (e.operator) {
    case 'In': return has && (e.values ?? []).includes(labels[e.key]);
    case 'NotIn': return !has || !(e.values ?? []).includes(labels[e.key]);
    case 'Exists': return has;
    case 'DoesNotExist': return !has;
    default: return false;
  }
};

/** A workload's `spec.selector` against a pod's labels (an empty selector matches nothing, as for a workload). */
export const selectorMatches = (selector: LabelSelectorLike | undefined, labels: Record<string, string> = {}): boolean => {
  const pairs = Object.entries(selector?.matchLabels ?? {});
  const expressions = selector?.matchExpressions ?? [];
  if (pairs.length === 0 && expressions.length === 0) return false;
  return pairs.every(([k, v]) => labels[k] === v) && expressions.every((e) => expressionMatches(labels, e));
};
