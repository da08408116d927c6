import type { Status } from 'kubernetes-types/meta/v1';

/** Why the Eviction API refused, read from its Status body. */
export type EvictionRefusal =
  /** 429: the budget allows no disruption now; `needs`/`has` are its desired and current healthy pods. */
  | { kind: 'DisruptionBudget'; disruptionBudget: string; needs: number; has: number; message: string }
  /** 429: the budget's controller has not caught up with it yet; retry. */
  | { kind: 'BudgetPending'; disruptionBudget: string; message: string }
  /** 500: more than one budget selects the pod; no retry will help. */
  | { kind: 'MultipleBudgets'; message: string }
  /** Any other refusal, with the apiserver's message. */
  | { kind: 'Other'; code?: number; message: string };

const NEEDS = /^The disruption budget (\S+) needs (\d+) healthy pods and has (\d+) currently/;
const PENDING = /^The disruption budget (\S+) is still being processed by the server/;

const qualified = (name: string, namespace?: string): string => (namespace ? `${namespace}/${name}` : name);

/**
 * Names the PodDisruptionBudget behind a refused eviction (eviction.go: `Cannot evict pod
 * as it would violate the pod's disruption budget.` with a `DisruptionBudget` cause). Give
 * the pod's namespace to get `ns/name`, the way Bosun's API names a budget.
 */
export const parseEvictionRefusal = (status: Status, namespace?: string): EvictionRefusal => {
  const message = status.message ?? '';
  for (const cause of status.details?.causes ?? []) {
    // StatusCause.Type is serialised as `reason`.
    if (cause.reason !== 'DisruptionBudget') continue;
    const text = cause.message ?? '';
    const needs = NEEDS.exec(text);
    if (needs) return { kind: 'DisruptionBudget', disruptionBudget: qualified(needs[1], namespace), needs: Number(needs[2]), has: Number(needs[3]), message: text };
    const pending = PENDING.exec(text);
    if (pending) return { kind: 'BudgetPending', disruptionBudget: qualified(pending[1], namespace), message: text };
  }
  if (message.startsWith('This pod has more than one PodDisruptionBudget')) return { kind: 'MultipleBudgets', message };
  return { kind: 'Other', ...(status.code !== undefined ? { code: status.code } : {}), message };
};
