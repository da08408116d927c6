import type { Progress } from '@bosun/contracts';
import type { Deployment, ReplicaSet } from '@bosun/deployer-domain';
import type { RolloutSnapshot } from './rollout.judge';
import { judge } from './rollout.judge';
import { trackRollout } from './rollout.watch';
import type { RolloutSource } from './rollout.watch';

const UID = 'uid-1';
const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.28' }] } };
const deployment = (generation: number, status: NonNullable<Deployment['status']>, extra: Partial<NonNullable<Deployment['spec']>> = {}): Deployment => ({
  metadata: { name: 'web', namespace: 'ns', uid: UID, generation, annotations: { 'deployment.kubernetes.io/revision': '2' } },
  spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template, ...extra },
  status: { observedGeneration: generation, replicas: 3, ...status },
});
const newRs = (available: number): ReplicaSet => ({
  metadata: { name: 'web-abc', namespace: 'ns', ownerReferences: [{ uid: UID, controller: true, kind: 'Deployment', name: 'web' }], annotations: { 'deployment.kubernetes.io/revision': '2' } },
  spec: { replicas: 3, template: { ...template, metadata: { labels: { app: 'web', 'pod-template-hash': 'abc' } } } },
  status: { replicas: 3, availableReplicas: available },
});
const deadline = { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-abc" has timed out progressing.' };

/** A source we drive by hand: set the cache, then notify. */
class FakeSource implements RolloutSource {
  current: RolloutSnapshot = { replicaSets: [] };
  private listeners = new Set<() => void>();
  snapshot(): RolloutSnapshot { return this.current; }
  subscribe(fn: () => void): () => void { this.listeners.add(fn); return () => this.listeners.delete(fn); }
  set(deployment: Deployment | undefined, replicaSets: ReplicaSet[] = []): void { this.current = { deployment, replicaSets }; this.listeners.forEach((l) => l()); }
  get subscribers(): number { return this.listeners.size; }
}

describe('judge', () => {
  const input = { goal: 'rollout' as const, minGeneration: 2, seen: false };
  it('waits for a cache that has not seen our generation yet, even if it looks complete', () => {
    expect(judge({ deployment: deployment(1, { updatedReplicas: 3, availableReplicas: 3 }), replicaSets: [] }, input)).toEqual({ kind: 'wait' });
  });
  it('completes, fails with the Kubernetes reason and message, or reports progress', () => {
    expect(judge({ deployment: deployment(2, { updatedReplicas: 3, availableReplicas: 3 }), replicaSets: [newRs(3)] }, input)).toEqual({ kind: 'complete' });
    expect(judge({ deployment: deployment(2, { updatedReplicas: 1, availableReplicas: 2, conditions: [deadline] }), replicaSets: [] }, input))
      .toEqual({ kind: 'failed', code: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-abc" has timed out progressing.' });
    expect(judge({ deployment: deployment(2, { updatedReplicas: 2, availableReplicas: 3 }), replicaSets: [newRs(1)] }, input))
      .toEqual({ kind: 'wait', progress: { current: 1, total: 3, message: 'Waiting for deployment "web" rollout to finish: 2 out of 3 new replicas have been updated...' } });
  });
  it('ends a rollout goal on a paused Deployment, and a pause goal only once the controller saw it', () => {
    expect(judge({ deployment: deployment(2, { updatedReplicas: 1 }, { paused: true }), replicaSets: [] }, input)).toEqual({ kind: 'complete' });
    const unobserved = { ...deployment(2, {}, { paused: true }), status: { observedGeneration: 1 } };
    expect(judge({ deployment: unobserved, replicaSets: [] }, { ...input, goal: 'paused' })).toEqual({ kind: 'wait' });
    expect(judge({ deployment: deployment(2, {}, { paused: true }), replicaSets: [] }, { ...input, goal: 'paused' })).toEqual({ kind: 'complete' });
  });
  it('tells a Deployment not yet in the cache from one that was deleted', () => {
    expect(judge({ replicaSets: [] }, input)).toEqual({ kind: 'wait' });
    expect(judge({ replicaSets: [] }, { ...input, seen: true })).toEqual({ kind: 'gone' });
  });
});

describe('trackRollout', () => {
  const progress: Progress[] = [];
  beforeEach(() => { progress.length = 0; });
  const options = (extra = {}) => ({ goal: 'rollout' as const, minGeneration: 2, deadline: Date.now() + 60_000, onProgress: (p: Progress) => progress.push(p), ...extra });

  it('follows the cache to completion, reporting each distinct progress once, and unsubscribes', async () => {
    const source = new FakeSource();
    const done = trackRollout(source, options());
    source.set(deployment(1, { updatedReplicas: 3, availableReplicas: 3 }));
    source.set(deployment(2, { updatedReplicas: 1, availableReplicas: 3 }), [newRs(0)]);
    source.set(deployment(2, { updatedReplicas: 1, availableReplicas: 3 }), [newRs(0)]);
    source.set(deployment(2, { updatedReplicas: 3, availableReplicas: 3 }), [newRs(3)]);
    const outcome = await done;
    expect(outcome.kind).toBe('complete');
    expect(progress.map((p) => p.current)).toEqual([0]);
    expect(source.subscribers).toBe(0);
  });

  it('fails with ProgressDeadlineExceeded when the Deployment reports it', async () => {
    const source = new FakeSource();
    const done = trackRollout(source, options());
    source.set(deployment(2, { updatedReplicas: 1, availableReplicas: 3, conditions: [deadline] }));
    expect(await done).toMatchObject({ kind: 'failed', code: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-abc" has timed out progressing.' });
  });

  it('times out with the last progress message when nothing finishes', async () => {
    const source = new FakeSource();
    source.current = { deployment: deployment(2, { updatedReplicas: 1, availableReplicas: 3 }), replicaSets: [] };
    const outcome = await trackRollout(source, options({ deadline: Date.now() + 50, recheckMs: 10 }));
    expect(outcome).toMatchObject({ kind: 'timeout', message: expect.stringContaining('1 out of 3 new replicas have been updated') });
  });

  it('reports a deletion and stops on abort', async () => {
    const source = new FakeSource();
    const gone = trackRollout(source, options());
    source.set(deployment(2, { updatedReplicas: 1 }));
    source.set(undefined);
    expect(await gone).toEqual({ kind: 'gone' });
    const controller = new AbortController();
    const aborted = trackRollout(new FakeSource(), options({ signal: controller.signal }));
    controller.abort();
    expect(await aborted).toEqual({ kind: 'aborted' });
  });
});
