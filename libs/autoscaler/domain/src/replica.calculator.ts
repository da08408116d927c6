import type { Tolerances } from './hpa.types';
import type { PodGroups } from './pod.grouping';
import { formatMilli } from './quantity.values';

// kube-controller-manager's ReplicaCalculator (pkg/controller/podautoscaler/replica_calculator.go)
// over already-grouped samples: `desired = ceil(current × currentMetric / targetMetric)`
// (000:13208-13216) with the ready pod count as "current", the tolerance band, and the
// conservative recompute for missing and unready pods (000:13241-13244).

/** A metric's proposal, or why it could not make one (upstream's error words). */
export type Calculation = { ok: true; replicas: number; current: string } | { ok: false; error: string };

const MAX_INT32 = 2147483647;

/** Inclusive on both edges: exactly 1.1 and 0.9 do not scale (upstream `Tolerances.isWithin`). */
export const isWithin = (tolerances: Tolerances, ratio: number): boolean => 1 - tolerances.down <= ratio && ratio <= 1 + tolerances.up;

/** int64 division truncating toward zero, exact for integers below 2^53 (a float quotient could round up across an integer). */
export const intDiv = (a: number, b: number): number => (a - (a % b)) / b;

/** `int64(usage × 100 / requests)`: memory milli-values are large, so past 2^53 the product is taken in BigInt. */
const percentOf = (usage: number, requests: number): number => {
  const product = usage * 100;
  if (product <= Number.MAX_SAFE_INTEGER && product >= -Number.MAX_SAFE_INTEGER) return intDiv(product, requests);
  return Number((BigInt(Math.round(usage)) * 100n) / BigInt(Math.round(requests)));
};

/** `int32(math.Ceil(x))`, saturating as upstream does for oversized proposals. */
const ceilReplicas = (x: number): number => {
  const replicas = Math.ceil(x);
  if (replicas > MAX_INT32) return MAX_INT32;
  return replicas > 0 ? replicas : 0;
};

const computed = (replicas: number, current: string): Calculation => ({ ok: true, replicas, current });
const failed = (error: string): Calculation => ({ ok: false, error });
const NO_READY_METRICS = 'did not receive metrics for targeted pods (pods might be unready)';

/**
 * After the set-aside pods were put back: keep the current count when the new ratio is within
 * tolerance, flips direction, or the larger pod count would move the other way.
 */
const conservative = (currentReplicas: number, ratio: number, newRatio: number, pods: number, tolerances: Tolerances): number => {
  if (isWithin(tolerances, newRatio) || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1)) return currentReplicas;
  const replicas = ceilReplicas(newRatio * pods);
  if ((newRatio < 1 && replicas > currentReplicas) || (newRatio > 1 && replicas < currentReplicas)) return currentReplicas;
  return replicas;
};

/**
 * Resource metric with a Utilization target: utilization is `int32(Σusage × 100 / Σrequests)`,
 * a ratio of sums, truncated; missing pods count `max(100, target)` % on a scale-down and 0 on
 * a scale-up, unready pods 0 on a scale-up. `current` is the utilization in %.
 */
export const utilizationReplicas = (currentReplicas: number, targetPercent: number, groups: PodGroups, tolerances: Tolerances): Calculation => {
  if (groups.readyCount === 0) return failed(NO_READY_METRICS);
  if (groups.readyRequest === 0) return failed('no metrics returned matched known pods');
  const utilization = percentOf(groups.readyUsage, groups.readyRequest);
  const current = String(utilization);
  const ratio = utilization / targetPercent;
  const scaleUpWithUnready = groups.unreadyCount > 0 && ratio > 1;
  if (!scaleUpWithUnready && groups.missingCount === 0) {
    return computed(isWithin(tolerances, ratio) ? currentReplicas : ceilReplicas(ratio * groups.readyCount), current);
  }
  let usage = groups.readyUsage;
  let requests = groups.readyRequest;
  let pods = groups.readyCount;
  if (groups.missingCount > 0 && ratio !== 1) {
    requests += groups.missingRequest;
    pods += groups.missingCount;
    if (ratio < 1) usage += groups.missingFallbackUsage;
  }
  if (scaleUpWithUnready) {
    requests += groups.unreadyRequest;
    pods += groups.unreadyCount;
  }
  const newRatio = percentOf(usage, requests) / targetPercent;
  return computed(conservative(currentReplicas, ratio, newRatio, pods, tolerances), current);
};

/**
 * Pods metrics and Resource AverageValue (upstream `calcPlainMetricReplicas`): the average is
 * `Σvalues / n` in milli-units, truncated; missing pods count the target on a scale-down.
 */
export const averageReplicas = (currentReplicas: number, targetMilli: number, groups: PodGroups, tolerances: Tolerances): Calculation => {
  if (groups.readyCount === 0) return failed(NO_READY_METRICS);
  const average = intDiv(groups.readyUsage, groups.readyCount);
  const current = formatMilli(average);
  const ratio = average / targetMilli;
  const scaleUpWithUnready = groups.unreadyCount > 0 && ratio > 1;
  if (!scaleUpWithUnready && groups.missingCount === 0) {
    return computed(isWithin(tolerances, ratio) ? currentReplicas : ceilReplicas(ratio * groups.readyCount), current);
  }
  let total = groups.readyUsage;
  let pods = groups.readyCount;
  if (groups.missingCount > 0 && ratio !== 1) {
    pods += groups.missingCount;
    if (ratio < 1) total += targetMilli * groups.missingCount;
  }
  if (scaleUpWithUnready) pods += groups.unreadyCount;
  const newRatio = intDiv(total, pods) / targetMilli;
  return computed(conservative(currentReplicas, ratio, newRatio, pods, tolerances), current);
};

/**
 * Object and External metrics with a Value target (upstream `getUsageRatioReplicaCount`): the
 * ratio times the ready pods, or from zero replicas `ceil(ratio)` without tolerance.
 */
export const valueReplicas = (currentReplicas: number, readyPods: number, usageMilli: number, targetMilli: number, tolerances: Tolerances): Calculation => {
  const ratio = usageMilli / targetMilli;
  const current = formatMilli(usageMilli);
  if (currentReplicas === 0) return computed(ceilReplicas(ratio), current);
  return computed(isWithin(tolerances, ratio) ? currentReplicas : ceilReplicas(ratio * readyPods), current);
};

/**
 * Object and External metrics with an AverageValue target (upstream `Get*PerPodMetricReplicas`):
 * the total divided by the current replicas is compared; the proposal is `ceil(total / target)`.
 * `current` is the average per replica (the total itself at zero replicas).
 */
export const perPodReplicas = (currentReplicas: number, totalMilli: number, targetMilli: number, tolerances: Tolerances): Calculation => {
  const ratio = totalMilli / (targetMilli * currentReplicas);
  const replicas = isWithin(tolerances, ratio) ? currentReplicas : ceilReplicas(totalMilli / targetMilli);
  const current = currentReplicas > 0 ? formatMilli(Math.ceil(totalMilli / currentReplicas)) : formatMilli(totalMilli);
  return computed(replicas, current);
};
