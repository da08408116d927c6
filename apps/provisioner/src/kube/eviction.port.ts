import type { Identity, KubeCause, KubePort } from '@bosun/kube';

/** What one eviction came to; a refusal (429) carries the apiserver's message and causes (the budget and its counts). */
export interface EvictionAttempt {
  outcome: 'evicted' | 'blocked' | 'absent';
  message?: string;
  causes?: KubeCause[];
}

export interface EvictOptions {
  as?: Identity;
  signal?: AbortSignal;
  /** Server-side dry run (`dryRun=All`): the real PodDisruptionBudget checks, nothing changes. */
  dryRun?: boolean;
  /** -1 or absent keeps the pod's own terminationGracePeriodSeconds. */
  gracePeriodSeconds?: number;
}

/** The Eviction API as the drain needs it. */
export interface EvictionPort {
  evict(pod: { namespace: string; name: string }, opts: EvictOptions): Promise<EvictionAttempt>;
  /** False while the cluster port cannot send a server-side dry run: the plan then rests on the domain's arithmetic alone. */
  readonly dryRunSupported: boolean;
}

/** The richer eviction the kube port is gaining (`tryEvict`: dry run, grace period, the 429's causes). */
type TryEvict = (pod: { namespace: string; name: string }, opts: EvictOptions) => Promise<EvictionAttempt>;

/**
 * The drain's eviction port on a cluster's KubePort: `tryEvict` when the port has it (the
 * refusal's causes name the budget, dry runs and grace periods are sent), otherwise plain
 * `evict` (outcome only: a blocked pod is then named by the plan's arithmetic, and a grace
 * period or a dry run cannot be sent). Checked at run time so this app works on either port.
 */
export const evictionPort = (port: KubePort): EvictionPort => {
  const tryEvict = (port as unknown as { tryEvict?: TryEvict }).tryEvict?.bind(port);
  if (tryEvict) {
    return { dryRunSupported: true, evict: (pod, opts) => tryEvict(pod, withGrace(opts)) };
  }
  return {
    dryRunSupported: false,
    evict: async (pod, opts) => {
      if (opts.dryRun) throw new Error('this kube port cannot send a dry-run eviction');
      return { outcome: await port.evict(pod, { as: opts.as, signal: opts.signal }) };
    },
  };
};

const withGrace = (opts: EvictOptions): EvictOptions =>
  opts.gracePeriodSeconds === undefined || opts.gracePeriodSeconds < 0 ? { ...opts, gracePeriodSeconds: undefined } : opts;
