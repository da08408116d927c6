import type { Progress } from '@bosun/contracts';
import { judge } from './rollout.judge';
import type { RolloutSnapshot, TrackGoal } from './rollout.judge';

/** Where a rollout is read from: the shared informers' cache and their change notifications. */
export interface RolloutSource {
  snapshot(): RolloutSnapshot;
  /** Calls `onChange` whenever the Deployment or one of its ReplicaSets changes; returns the unsubscribe. */
  subscribe(onChange: () => void): () => void;
}

export type TrackOutcome =
  | { kind: 'complete'; snapshot: RolloutSnapshot }
  | { kind: 'failed'; code: string; message: string; snapshot: RolloutSnapshot }
  | { kind: 'timeout'; message: string; snapshot: RolloutSnapshot }
  | { kind: 'gone' }
  | { kind: 'aborted' };

export interface TrackOptions {
  goal: TrackGoal;
  minGeneration: number;
  /** epoch ms after which the operation fails with RolloutTimeout. */
  deadline: number;
  onProgress(progress: Progress): void;
  signal?: AbortSignal;
  /** re-judges the cache this often even without events (no API calls): a safety net, not the driver. */
  recheckMs?: number;
  now?: () => number;
}

/**
 * Follows one rollout on the shared cache until it ends: complete, failed with the
 * Kubernetes reason, deleted, past its deadline, or aborted (shutdown). Progress is
 * reported only when it changes.
 */
export function trackRollout(source: RolloutSource, opts: TrackOptions): Promise<TrackOutcome> {
  const now = opts.now ?? Date.now;
  return new Promise<TrackOutcome>((resolve) => {
    let seen = false;
    let done = false;
    let lastProgress = '';
    let lastMessage = 'the rollout has not started';
    const cleanups: (() => void)[] = [];
    const finish = (outcome: TrackOutcome): void => {
      done = true;
      cleanups.splice(0).forEach((c) => c());
      resolve(outcome);
    };
    const evaluate = (): void => {
      if (done) return;
      const snapshot = source.snapshot();
      const verdict = judge(snapshot, { goal: opts.goal, minGeneration: opts.minGeneration, seen });
      seen = seen || snapshot.deployment !== undefined;
      if (verdict.kind === 'complete') return finish({ kind: 'complete', snapshot });
      if (verdict.kind === 'failed') return finish({ ...verdict, snapshot });
      if (verdict.kind === 'gone') return finish({ kind: 'gone' });
      if (now() >= opts.deadline) return finish({ kind: 'timeout', message: lastMessage, snapshot });
      if (!verdict.progress) return;
      lastMessage = verdict.progress.message;
      const key = JSON.stringify(verdict.progress);
      if (key !== lastProgress) {
        lastProgress = key;
        opts.onProgress(verdict.progress);
      }
    };
    if (opts.signal?.aborted) return resolve({ kind: 'aborted' });
    const onAbort = (): void => finish({ kind: 'aborted' });
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    cleanups.push(() => opts.signal?.removeEventListener('abort', onAbort));
    cleanups.push(source.subscribe(evaluate));
    const recheck = setInterval(evaluate, opts.recheckMs ?? 5000);
    const deadline = setTimeout(evaluate, Math.max(0, opts.deadline - now()) + 1);
    cleanups.push(() => clearInterval(recheck), () => clearTimeout(deadline));
    evaluate();
  });
}
