import type { Pod } from 'kubernetes-types/core/v1';
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import { selectorMatches } from './label-selector.match';
import { controllerOf, isReady, isTerminating } from './pod.facts';

// The disruption controller's arithmetic (pkg/controller/disruption): what a
// PodDisruptionBudget's status would say for a set of pods and the scale of their controllers.

/** A workload controller that exists, with its desired scale (`spec.replicas`). */
export interface ControllerScale {
  kind: string;
  namespace: string;
  name: string;
  uid?: string;
  /** Desired replicas; Kubernetes' default of 1 when absent. DaemonSets need none. */
  replicas?: number;
}

/** The numbers of a PodDisruptionBudget's status. */
export interface BudgetCounts {
  expectedPods: number;
  desiredHealthy: number;
  currentHealthy: number;
  disruptionsAllowed: number;
  /** Why the controller could not compute the budget; it then allows no disruption (its fail-safe). */
  error?: string;
}

/** An eviction reported to the budget lives this long before the controller forgets it (DeletionTimeout). */
const DISRUPTION_TIMEOUT_MS = 2 * 60 * 1000;

/**
 * intstr.GetScaledValueFromIntOrPercent: an integer as is, `N%` of `total` rounded up or
 * down. Budgets always round up, so 50% of 7 pods is 4 (000:13839-13846). Undefined for a
 * malformed value.
 */
export const scaledValueFromIntOrPercent = (value: number | string, total: number, roundUp: boolean): number | undefined => {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  const match = /^(\d+)%$/.exec(value);
  if (!match) return undefined;
  const product = Number(match[1]) * total;
  return roundUp ? Math.floor((product + 99) / 100) : Math.floor(product / 100);
};

const sameController = (c: ControllerScale, ref: OwnerReference, namespace: string): boolean =>
  c.uid !== undefined && ref.uid ? c.uid === ref.uid : c.kind === ref.kind && c.name === ref.name && c.namespace === namespace;

/** The controller of a pod among those that exist. */
export const findController = (pod: Pod, controllers: readonly ControllerScale[]): ControllerScale | undefined => {
  const ref = controllerOf(pod);
  const namespace = pod.metadata?.namespace ?? 'default';
  return ref ? controllers.find((c) => sameController(c, ref, namespace)) : undefined;
};

/**
 * The sum of the scales of the pods' distinct controllers (getExpectedScale). Pods without a
 * controller add nothing; a controller that cannot be found is an error.
 */
export const expectedScale = (pods: readonly Pod[], controllers: readonly ControllerScale[]): { expected: number; error?: string } => {
  const scales = new Map<string, number>();
  for (const pod of pods) {
    if (!controllerOf(pod)) continue;
    const controller = findController(pod, controllers);
    if (!controller) return { expected: 0, error: `found no controllers for pod "${pod.metadata?.name ?? ''}"` };
    scales.set(controller.uid ?? `${controller.kind}/${controller.namespace}/${controller.name}`, controller.replicas ?? 1);
  }
  return { expected: [...scales.values()].reduce((a, b) => a + b, 0) };
};

/**
 * expectedPods and desiredHealthy (getExpectedPodCount): maxUnavailable (int or %) and a
 * percentage minAvailable count against the controllers' scale, rounding up; an integer
 * minAvailable counts the selected pods.
 */
export const desiredHealthyOf = (
  pdb: PodDisruptionBudget, pods: readonly Pod[], controllers: readonly ControllerScale[],
): { expectedPods: number; desiredHealthy: number; error?: string } => {
  const { maxUnavailable, minAvailable } = pdb.spec ?? {};
  if (maxUnavailable === undefined && (minAvailable === undefined || typeof minAvailable === 'number')) {
    return { expectedPods: pods.length, desiredHealthy: minAvailable ?? 0 };
  }
  const scale = expectedScale(pods, controllers);
  if (scale.error) return { expectedPods: 0, desiredHealthy: 0, error: scale.error };
  const bound = maxUnavailable ?? minAvailable ?? 0;
  const scaled = scaledValueFromIntOrPercent(bound, scale.expected, true);
  if (scaled === undefined) return { expectedPods: scale.expected, desiredHealthy: 0, error: `invalid value ${JSON.stringify(bound)}` };
  const desiredHealthy = maxUnavailable !== undefined ? Math.max(0, scale.expected - scaled) : scaled;
  return { expectedPods: scale.expected, desiredHealthy };
};

const recentlyDisrupted = (pdb: PodDisruptionBudget, pod: Pod, now: Date | undefined): boolean => {
  const at = pdb.status?.disruptedPods?.[pod.metadata?.name ?? ''];
  if (at === undefined) return false;
  return now === undefined || new Date(at).getTime() + DISRUPTION_TIMEOUT_MS > now.getTime();
};

/** Ready pods that are neither being deleted nor just evicted (countHealthyPods). */
export const countHealthyPods = (pdb: PodDisruptionBudget, pods: readonly Pod[], now?: Date): number =>
  pods.filter((p) => !isTerminating(p) && !recentlyDisrupted(pdb, p, now) && isReady(p)).length;

/** The pods a budget's controller counts: same namespace, selected (policy/v1: `{}` selects all). */
export const podsOfBudget = (pdb: PodDisruptionBudget, pods: readonly Pod[]): Pod[] =>
  pods.filter((p) => (p.metadata?.namespace ?? 'default') === (pdb.metadata?.namespace ?? 'default') && selectorMatches(pdb.spec?.selector, p.metadata?.labels));

/**
 * A budget's status computed from scratch, as the disruption controller would: allowed =
 * currentHealthy − desiredHealthy, never negative, and 0 while no pod is expected.
 * `maxUnavailable: 0` and `minAvailable: 100%` therefore allow nothing (000:13885-13888).
 */
export const computeBudget = (pdb: PodDisruptionBudget, pods: readonly Pod[], controllers: readonly ControllerScale[], now?: Date): BudgetCounts => {
  const selected = podsOfBudget(pdb, pods);
  const { expectedPods, desiredHealthy, error } = desiredHealthyOf(pdb, selected, controllers);
  const currentHealthy = countHealthyPods(pdb, selected, now);
  const allowed = error || expectedPods <= 0 ? 0 : Math.max(0, currentHealthy - desiredHealthy);
  return { expectedPods, desiredHealthy, currentHealthy, disruptionsAllowed: allowed, ...(error ? { error } : {}) };
};

/** The status is what the eviction handler decides on, once the controller has seen this generation. */
const statusIsCurrent = (pdb: PodDisruptionBudget): boolean =>
  pdb.status !== undefined && (pdb.status.observedGeneration ?? 0) >= (pdb.metadata?.generation ?? 0);

/**
 * The counts the eviction handler would use: the budget's status when it is current,
 * otherwise the controller's arithmetic over `pods` (every pod of the namespace, on any node).
 */
export const budgetCounts = (pdb: PodDisruptionBudget, pods: readonly Pod[], controllers: readonly ControllerScale[], now?: Date): BudgetCounts => {
  const status = pdb.status;
  if (status && statusIsCurrent(pdb)) {
    return {
      expectedPods: status.expectedPods, desiredHealthy: status.desiredHealthy,
      currentHealthy: status.currentHealthy, disruptionsAllowed: status.disruptionsAllowed,
    };
  }
  return computeBudget(pdb, pods, controllers, now);
};
