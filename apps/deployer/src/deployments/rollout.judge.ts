import type { Progress } from '@bosun/contracts';
import { findCondition, PROGRESS_DEADLINE_EXCEEDED, rolloutStatus } from '@bosun/deployer-domain';
import type { Deployment, ReplicaSet } from '@bosun/deployer-domain';

/** What a tracked operation waits for: a finished rollout, or (pause) the controller seeing `paused`. */
export type TrackGoal = 'rollout' | 'paused';

export interface RolloutSnapshot {
  deployment?: Deployment;
  replicaSets: ReplicaSet[];
}

export type Verdict =
  | { kind: 'wait'; progress?: Progress }
  | { kind: 'complete' }
  | { kind: 'failed'; code: string; message: string }
  | { kind: 'gone' };

export interface JudgeInput {
  goal: TrackGoal;
  /** the generation our mutation produced: an older cached copy says nothing about our change. */
  minGeneration: number;
  /** the Deployment was seen in the cache before, so its absence now means it was deleted. */
  seen: boolean;
}

const observed = (d: Deployment): boolean => (d.metadata?.generation ?? 0) <= (d.status?.observedGeneration ?? 0);

/**
 * One look at the cached Deployment and its ReplicaSets, decided by the domain's
 * `rolloutStatus` (kubectl's rules). A paused Deployment ends a rollout goal too: nothing
 * more happens until someone resumes it, so waiting would only end in a timeout.
 */
export const judge = (snapshot: RolloutSnapshot, input: JudgeInput): Verdict => {
  const d = snapshot.deployment;
  if (!d) return input.seen ? { kind: 'gone' } : { kind: 'wait' };
  if ((d.metadata?.generation ?? 0) < input.minGeneration) return { kind: 'wait' };
  if (input.goal === 'paused') return d.spec?.paused && observed(d) ? { kind: 'complete' } : { kind: 'wait' };
  return judgeRollout(d, snapshot.replicaSets);
};

const judgeRollout = (d: Deployment, replicaSets: ReplicaSet[]): Verdict => {
  const status = rolloutStatus(d, replicaSets);
  if (status.state === 'complete' || status.state === 'paused') return { kind: 'complete' };
  if (status.state === 'progressing') return { kind: 'wait', progress: status.progress };
  // Kubernetes' own words: the Progressing condition's message ("ReplicaSet … has timed out progressing.").
  const condition = findCondition(d.status?.conditions, 'Progressing');
  return { kind: 'failed', code: status.reason ?? PROGRESS_DEADLINE_EXCEEDED, message: condition?.message ?? status.message };
};
