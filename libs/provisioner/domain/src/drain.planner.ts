import type { DrainBlock, DrainPlan, DrainRefuseReason, DrainSkipReason } from '@bosun/contracts';
import type { Pod } from 'kubernetes-types/core/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import { budgetCounts, findController, type BudgetCounts, type ControllerScale } from './disruption-budget.math';
import { isEmptySelector, selectorMatches } from './label-selector.match';
import { controllerOf, hasLocalStorage, isFinished, isMirror, isReady, isTerminating, podKey } from './pod.facts';

// kubectl drain's pod filters (kubectl pkg/drain/filters.go) followed by the eviction
// handler's budget check (pkg/registry/core/pod/storage/eviction.go), as one pure plan.

/** kubectl's words for a pod it will not delete without a flag. */
export const LOCAL_STORAGE_REFUSAL = 'Pods with local storage (use --delete-emptydir-data to override)';
export const NO_CONTROLLER_REFUSAL = 'cannot delete Pods that declare no controller (use --force to override)';
export const MULTIPLE_BUDGETS_MESSAGE = 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.';

export interface DrainOptions {
  /** kubectl's --delete-emptydir-data: evict pods with emptyDir volumes (their data is lost). */
  deleteEmptyDirData?: boolean;
  /** kubectl's --force: evict pods without a controller, and DaemonSet pods whose DaemonSet is gone. */
  force?: boolean;
}

export interface DrainInput {
  /** The pods on the node being drained. */
  pods: readonly Pod[];
  /**
   * The controllers that exist: the DaemonSet orphan check (when given, a DaemonSet pod whose
   * DaemonSet is missing is an orphan) and the scale that percentage budgets count against.
   */
  controllers?: readonly ControllerScale[];
  /** The PodDisruptionBudgets of the pods' namespaces. */
  budgets?: readonly PodDisruptionBudget[];
  /** Every pod of those namespaces on any node, for budgets without a current status; defaults to `pods`. */
  namespacePods?: readonly Pod[];
  options?: DrainOptions;
  /** For the age of a budget's recent evictions; without it every recorded eviction still counts. */
  now?: Date;
}

/** What the filters decide for one pod. */
export type DrainVerdict =
  | { kind: 'evict' }
  | { kind: 'skip'; reason: DrainSkipReason }
  | { kind: 'refuse'; reason: DrainRefuseReason; message: string };

type Filter = (pod: Pod, input: DrainInput) => DrainVerdict | undefined;
const skip = (reason: DrainSkipReason): DrainVerdict => ({ kind: 'skip', reason });
const refuse = (reason: DrainRefuseReason, message: string): DrainVerdict => ({ kind: 'refuse', reason, message });

/** Already being deleted: nothing left to do but wait (kubectl's skip-deleted filter). */
const deletedFilter: Filter = (pod) => (isTerminating(pod) ? skip('Terminating') : undefined);

/**
 * DaemonSet pods are left alone (Bosun always drains as with --ignore-daemonsets): their
 * controller would recreate them at once, as it ignores unschedulable. A finished one may
 * go; one whose DaemonSet is gone is an orphan that only --force removes.
 */
const daemonSetFilter: Filter = (pod, input) => {
  const ref = controllerOf(pod);
  if (ref?.kind !== 'DaemonSet' || isFinished(pod)) return undefined;
  // Without a list of controllers the DaemonSet is taken to exist: only a known orphan is refused.
  if (input.controllers === undefined || findController(pod, input.controllers)) return skip('DaemonSet');
  return input.options?.force ? undefined : refuse('NoController', `daemonsets.apps "${ref.name}" not found`);
};

/** Mirror pods cannot be deleted through the apiserver; the kubelet owns them. */
const mirrorFilter: Filter = (pod) => (isMirror(pod) ? skip('Mirror') : undefined);

const localStorageFilter: Filter = (pod, input) =>
  hasLocalStorage(pod) && !isFinished(pod) && !input.options?.deleteEmptyDirData ? refuse('LocalStorage', LOCAL_STORAGE_REFUSAL) : undefined;

const unreplicatedFilter: Filter = (pod, input) =>
  !isFinished(pod) && !controllerOf(pod) && !input.options?.force ? refuse('NoController', NO_CONTROLLER_REFUSAL) : undefined;

/** kubectl's order; the first filter that keeps a pod decides (GetPodsForDeletion). */
const FILTERS: readonly Filter[] = [deletedFilter, daemonSetFilter, mirrorFilter, localStorageFilter, unreplicatedFilter];

/**
 * What kubectl drain's filters decide for one pod. Finished pods (Succeeded, Failed) pass
 * the storage and controller filters and are evicted, as kubectl deletes them.
 */
export const filterPod = (pod: Pod, input: Omit<DrainInput, 'pods'> = {}): DrainVerdict => {
  for (const filter of FILTERS) {
    const verdict = filter(pod, { ...input, pods: [] });
    if (verdict) return verdict;
  }
  return { kind: 'evict' };
};

interface BudgetState { pdb: PodDisruptionBudget; key: string; counts: BudgetCounts }

const budgetKey = (pdb: PodDisruptionBudget): string => `${pdb.metadata?.namespace ?? 'default'}/${pdb.metadata?.name ?? ''}`;

/** The eviction handler only looks at budgets of the pod's namespace, and an empty selector matches nothing there. */
const budgetsOf = (pod: Pod, states: readonly BudgetState[]): BudgetState[] =>
  states.filter(({ pdb }) =>
    (pdb.metadata?.namespace ?? 'default') === (pod.metadata?.namespace ?? 'default') &&
    !isEmptySelector(pdb.spec?.selector) && selectorMatches(pdb.spec?.selector, pod.metadata?.labels));

/** The 429 cause the apiserver would give (checkAndDecrement). */
export const budgetMessage = (name: string, counts: Pick<BudgetCounts, 'desiredHealthy' | 'currentHealthy'>): string =>
  `The disruption budget ${name} needs ${counts.desiredHealthy} healthy pods and has ${counts.currentHealthy} currently`;

const block = (pod: Pod, state: BudgetState, message?: string): DrainBlock => ({
  pod: podKey(pod), disruptionBudget: state.key, needs: state.counts.desiredHealthy, has: state.counts.currentHealthy,
  message: message ?? budgetMessage(state.pdb.metadata?.name ?? '', state.counts) + (state.counts.error ? ` (${state.counts.error})` : ''),
});

/**
 * One eviction against the budgets, in the handler's order: terminal and Pending pods skip
 * the check; two budgets refuse outright; an unready pod may go while the budget is
 * otherwise met (IfHealthyBudget) or always (AlwaysAllow); else one allowed disruption is
 * spent. Spending it on a ready pod also lowers currentHealthy, as the controller will.
 */
const evictAgainstBudgets = (pod: Pod, states: readonly BudgetState[]): DrainBlock[] => {
  if (isFinished(pod) || pod.status?.phase === 'Pending' || isTerminating(pod)) return [];
  const matching = budgetsOf(pod, states);
  if (matching.length > 1) return matching.map((s) => block(pod, s, MULTIPLE_BUDGETS_MESSAGE));
  const [state] = matching;
  if (!state) return [];
  const { counts } = state;
  const alwaysAllow = state.pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow';
  if (!isReady(pod) && (alwaysAllow || (counts.currentHealthy >= counts.desiredHealthy && counts.desiredHealthy > 0))) return [];
  if (counts.disruptionsAllowed <= 0) return [block(pod, state)];
  counts.disruptionsAllowed -= 1;
  if (isReady(pod)) counts.currentHealthy -= 1;
  return [];
};

/**
 * The dry-run plan of a drain: every pod lands in exactly one of `evict`, `skip` or
 * `refuse`; `blocked` lists the pods of `evict` whose eviction a PodDisruptionBudget would
 * refuse (429) if they were evicted in this order now. kubectl itself evicts nothing while
 * `refuse` is not empty; that choice is the caller's.
 */
export const planDrain = (input: DrainInput): DrainPlan => {
  const plan: DrainPlan = { evict: [], skip: [], refuse: [], blocked: [] };
  const states: BudgetState[] = (input.budgets ?? []).map((pdb) => ({
    pdb, key: budgetKey(pdb), counts: { ...budgetCounts(pdb, input.namespacePods ?? input.pods, input.controllers ?? [], input.now) },
  }));
  for (const pod of input.pods) {
    const verdict = filterPod(pod, input);
    if (verdict.kind === 'skip') plan.skip.push({ pod: podKey(pod), reason: verdict.reason });
    else if (verdict.kind === 'refuse') plan.refuse.push({ pod: podKey(pod), reason: verdict.reason, message: verdict.message });
    else {
      plan.evict.push(podKey(pod));
      plan.blocked.push(...evictAgainstBudgets(pod, states));
    }
  }
  return plan;
};
