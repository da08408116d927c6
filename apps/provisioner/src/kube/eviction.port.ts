import type { EvictionResult, EvictOptions, KubePort } from '@bosun/kube';

/** What one eviction came to; a refusal (429) carries the apiserver's message and causes (the budget and its counts). */
export type EvictionAttempt = EvictionResult;

/** The Eviction API as the drain needs it: real or server-side dry run (`dryRun=All`), with a grace period. */
export interface EvictionPort {
  evict(pod: { namespace: string; name: string }, opts: EvictOptions): Promise<EvictionAttempt>;
}

/**
 * The drain's evictions on a cluster's KubePort (`tryEvict`). A negative grace period
 * (kubectl's -1) is not sent, so each pod keeps its own terminationGracePeriodSeconds.
 */
export const evictionPort = (port: KubePort): EvictionPort => ({
  evict: (pod, opts) => port.tryEvict(pod, opts.gracePeriodSeconds !== undefined && opts.gracePeriodSeconds < 0 ? { ...opts, gracePeriodSeconds: undefined } : opts),
});
