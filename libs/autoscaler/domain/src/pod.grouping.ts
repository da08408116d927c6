import { HPA_DEFAULTS, type PodSample } from './hpa.types';
import { epochMs, milliOf } from './quantity.values';

/**
 * The pods of one metric, sorted as upstream's `groupPods` does (000:13227-13238): deleting
 * and failed pods ignored; pending pods, and for CPU pods not yet ready, set aside as unready;
 * pods without a sample set aside as missing; the rest ready. Sums are milli-values.
 */
export interface PodGroups {
  readyCount: number;
  /** Σ usage of the ready pods (Utilization: usage, or % × 1000 when samples are percentages). */
  readyUsage: number;
  /** Σ requests of the ready pods (a percentage sample stands for a request of 100 %). */
  readyRequest: number;
  missingCount: number;
  missingRequest: number;
  /** Σ request × max(100, target) / 100 of the missing pods, truncated per pod as upstream does. */
  missingFallbackUsage: number;
  unreadyCount: number;
  unreadyRequest: number;
  ignoredPods?: string[];
  missingPods?: string[];
  unreadyPods?: string[];
  error?: string;
}

/** A percentage sample is a pod whose request is 100 % (in milli-units), so Σusage×100/Σrequests = mean %. */
const PERCENT_REQUEST = 100_000;

export interface GroupingOptions {
  /** Utilization: pods need requests; plain metrics (Pods, AverageValue) do not. */
  utilization: boolean;
  /** The resource, for messages (`cpu`, `memory`); empty for Pods metrics. */
  resource: string;
  /** Only CPU samples are distorted by start-up, so only CPU applies the readiness rules. */
  cpu: boolean;
  nowMs: number;
  /** max(100, target utilization): what a missing pod is assumed to use on a scale-down. */
  fallbackPercent: number;
}

/**
 * Upstream's CPU rules: within the initialization period (5 min) a pod counts only when Ready
 * and its sample was taken a full window after it became Ready; after it, only a pod that is
 * unready and never was ready (it turned unready within the 30 s readiness delay of its start)
 * is set aside. Without timestamps the `ready` flag decides.
 */
export const cpuUnready = (pod: PodSample, nowMs: number): boolean => {
  if (pod.startTime === undefined || pod.readyTransitionTime === undefined) return pod.ready === false;
  const start = epochMs(pod.startTime);
  const transition = epochMs(pod.readyTransitionTime);
  if (start + HPA_DEFAULTS.cpuInitializationPeriodSeconds * 1000 > nowMs) {
    if (pod.ready === false) return true;
    if (pod.metricTime === undefined) return false;
    return epochMs(pod.metricTime) < transition + (pod.metricWindowSeconds ?? HPA_DEFAULTS.metricWindowSeconds) * 1000;
  }
  return pod.ready === false && start + HPA_DEFAULTS.initialReadinessDelaySeconds * 1000 > transition;
};

const push = (list: string[] | undefined, name: string): string[] => {
  if (list === undefined) return [name];
  list.push(name);
  return list;
};

const requestOf = (pod: PodSample, options: GroupingOptions): number => {
  if (!options.utilization) return 0;
  return pod.request === undefined ? PERCENT_REQUEST : milliOf(pod.request);
};

type QuantityLike = PodSample['value'];
type Kind = 'ignored' | 'unready' | 'missing' | 'ready';
const classify = (pod: PodSample, sample: QuantityLike, options: GroupingOptions): Kind => {
  if (pod.deleting === true || pod.phase === 'Failed') return 'ignored';
  if (pod.phase === 'Pending') return 'unready';
  if (sample === undefined) return 'missing';
  if (options.cpu && cpuUnready(pod, options.nowMs)) return 'unready';
  return 'ready';
};

/** With a request the sample is a usage; without one, a percentage of the request (the API's shape). */
const sampleOf = (pod: PodSample, options: GroupingOptions): QuantityLike =>
  options.utilization && pod.request !== undefined ? (pod.usage ?? pod.value) : (pod.value ?? pod.usage);

const invalid = (groups: PodGroups, message: string): PodGroups => {
  groups.error = message;
  return groups;
};

const addReady = (groups: PodGroups, pod: PodSample, sample: NonNullable<QuantityLike>, request: number): string | undefined => {
  const usage = milliOf(sample);
  if (Number.isNaN(usage)) return `quantity "${sample}" of pod ${pod.name} is invalid`;
  groups.readyCount++;
  groups.readyUsage += usage;
  groups.readyRequest += request;
  return undefined;
};

const addSetAside = (groups: PodGroups, kind: 'unready' | 'missing', pod: PodSample, request: number, options: GroupingOptions): void => {
  if (kind === 'unready') {
    groups.unreadyCount++;
    groups.unreadyRequest += request;
    groups.unreadyPods = push(groups.unreadyPods, pod.name);
    return;
  }
  groups.missingCount++;
  groups.missingRequest += request;
  const fallback = request * options.fallbackPercent;
  groups.missingFallbackUsage += (fallback - (fallback % 100)) / 100;
  groups.missingPods = push(groups.missingPods, pod.name);
};

/** Sorts the samples of one metric; `error` names the first pod whose numbers are unusable. */
export const groupPods = (pods: readonly PodSample[], options: GroupingOptions): PodGroups => {
  const groups: PodGroups = {
    readyCount: 0, readyUsage: 0, readyRequest: 0, missingCount: 0, missingRequest: 0, missingFallbackUsage: 0, unreadyCount: 0, unreadyRequest: 0,
  };
  for (const pod of pods) {
    const sample = sampleOf(pod, options);
    const kind = classify(pod, sample, options);
    if (kind === 'ignored') {
      groups.ignoredPods = push(groups.ignoredPods, pod.name);
      continue;
    }
    if (options.utilization && pod.request === undefined && pod.usage !== undefined) return invalid(groups, `missing request for ${options.resource} in Pod ${pod.name}`);
    const request = requestOf(pod, options);
    if (Number.isNaN(request)) return invalid(groups, `request "${pod.request}" of pod ${pod.name} is invalid`);
    if (kind !== 'ready') {
      addSetAside(groups, kind, pod, request, options);
      continue;
    }
    const error = addReady(groups, pod, sample as NonNullable<QuantityLike>, request);
    if (error !== undefined) return invalid(groups, error);
  }
  return groups;
};
