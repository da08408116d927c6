import type { RolloutState } from '@bosun/contracts';
import { findCondition, type Deployment, type ReplicaSet } from './kube-types';
import { templatesEqual } from './pod-template';
import { ownedReplicaSets } from './revision-history';

/** The Progressing condition's reason once `progressDeadlineSeconds` passed without progress. */
export const PROGRESS_DEADLINE_EXCEEDED = 'ProgressDeadlineExceeded';

export interface RolloutStatus {
  state: RolloutState;
  /** kubectl's words (004:1350-1379 shows them in a real rollout). */
  message: string;
  /** `current`: replicas that are both updated and available; `total`: desired replicas. */
  progress: { current: number; total: number; message: string };
  /** the Kubernetes reason when failed (`ProgressDeadlineExceeded`). */
  reason?: string;
}

interface Counts {
  desired: number;
  total: number;
  updated: number;
  available: number;
}

const countsOf = (d: Deployment): Counts => ({
  // The API server defaults spec.replicas to 1; an HPA-owned Deployment still has it set.
  desired: d.spec?.replicas ?? 1,
  total: d.status?.replicas ?? 0,
  updated: d.status?.updatedReplicas ?? 0,
  available: d.status?.availableReplicas ?? 0,
});

/**
 * Updated-and-available: the available pods of the ReplicaSet running the current template.
 * Without that ReplicaSet (not created yet, or not passed in), the most it can be is
 * min(updated, available).
 */
const updatedAvailable = (d: Deployment, replicaSets: ReplicaSet[], c: Counts, observed: boolean): number => {
  const current = ownedReplicaSets(d, replicaSets).find((rs) => templatesEqual(rs.spec?.template, d.spec?.template));
  if (current) return current.status?.availableReplicas ?? 0;
  return observed ? Math.min(c.updated, c.available) : 0;
};

/** What a rollout in flight still waits for, in kubectl's words; undefined when nothing. */
const pendingDetail = (c: Counts): string | undefined => {
  if (c.updated < c.desired) return `${c.updated} out of ${c.desired} new replicas have been updated`;
  if (c.total > c.updated) return `${c.total - c.updated} old replicas are pending termination`;
  if (c.available < c.updated) return `${c.available} of ${c.updated} updated replicas are available`;
  return undefined;
};

const decide = (d: Deployment, c: Counts, observed: boolean): Omit<RolloutStatus, 'progress'> => {
  const name = d.metadata?.name ?? '';
  // Until the controller has seen the latest spec, every count below describes the old one.
  if (!observed) return { state: 'progressing', message: 'Waiting for deployment spec update to be observed...' };
  const progressing = findCondition(d.status?.conditions, 'Progressing');
  if (progressing?.reason === PROGRESS_DEADLINE_EXCEEDED) {
    const detail = progressing.message ? `: ${progressing.message}` : '';
    return { state: 'failed', reason: PROGRESS_DEADLINE_EXCEEDED, message: `deployment "${name}" exceeded its progress deadline${detail}` };
  }
  const pending = pendingDetail(c);
  // A paused Deployment makes no progress and has no deadline (004:1623-1650).
  if (d.spec?.paused) return { state: 'paused', message: `deployment "${name}" is paused${pending ? ` (${pending})` : ''}` };
  if (pending) return { state: 'progressing', message: `Waiting for deployment "${name}" rollout to finish: ${pending}...` };
  return { state: 'complete', message: `deployment "${name}" successfully rolled out` };
};

/**
 * The decision `kubectl rollout status` makes, in its order: spec observed? deadline
 * exceeded? all replicas updated? old ones gone? updated ones available? Plus `paused`,
 * which kubectl would just wait on forever.
 */
export const rolloutStatus = (deployment: Deployment, replicaSets: ReplicaSet[] = []): RolloutStatus => {
  const counts = countsOf(deployment);
  const observed = (deployment.metadata?.generation ?? 0) <= (deployment.status?.observedGeneration ?? 0);
  const decided = decide(deployment, counts, observed);
  const current = Math.min(updatedAvailable(deployment, replicaSets, counts, observed), counts.desired);
  return { ...decided, progress: { current, total: counts.desired, message: decided.message } };
};
