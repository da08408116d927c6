import type { KubePort, ListQuery } from '@bosun/kube';
import { drainPlan } from './drain.plan';

const ready = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
const pod = (name: string, app: string): Record<string, unknown> => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns', uid: name, labels: { app }, ownerReferences: [{ kind: 'ReplicaSet', name: `${app}-rs`, controller: true, uid: `${app}-rs` }] },
  spec: { nodeName: 'n1', containers: [] }, status: ready,
});
// One disruption allowed across web-1 and web-2: each dry run alone passes, the sequence blocks the second.
const budget = {
  apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'ns', generation: 1 },
  spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } },
  status: { observedGeneration: 1, expectedPods: 2, desiredHealthy: 1, currentHealthy: 2, disruptionsAllowed: 1 },
};
const pods = [pod('web-1', 'web'), pod('web-2', 'web'), pod('db-1', 'db')];

const fakePort = (evictions: string[]): KubePort => ({
  get: async () => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } }),
  list: async (q: ListQuery) => (q.kind === 'Pod' ? pods : q.kind === 'PodDisruptionBudget' ? [budget] : []),
  tryEvict: async (p: { name: string }, opts: { dryRun?: boolean }) => {
    evictions.push(`${p.name}${opts.dryRun ? ' (dry run)' : ''}`);
    // The apiserver's own check refuses db-1: a budget the listing did not show (stale cache, another namespace's view).
    return p.name === 'db-1'
      ? { outcome: 'blocked', message: 'Cannot evict pod as it would violate the pod\'s disruption budget.', causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget db needs 1 healthy pods and has 1 currently' }] }
      : { outcome: 'evicted' };
  },
}) as unknown as KubePort;

describe('drainPlan', () => {
  it('dry-runs every pod to evict and merges the apiserver\'s refusals with the in-order simulation', async () => {
    const evictions: string[] = [];
    const plan = await drainPlan(fakePort(evictions), { name: 'n1' });
    expect(plan.evict).toEqual(['ns/web-1', 'ns/web-2', 'ns/db-1']);
    expect(evictions.sort()).toEqual(['db-1 (dry run)', 'web-1 (dry run)', 'web-2 (dry run)']);
    expect(plan.blocked).toEqual([
      { pod: 'ns/db-1', disruptionBudget: 'ns/db', needs: 1, has: 1, message: 'The disruption budget db needs 1 healthy pods and has 1 currently' },
      { pod: 'ns/web-2', disruptionBudget: 'ns/web', needs: 1, has: 1, message: 'The disruption budget web needs 1 healthy pods and has 1 currently' },
    ]);
  });

  it('an unknown node is NotFound', async () => {
    const port = { ...fakePort([]), get: async () => undefined } as unknown as KubePort;
    await expect(drainPlan(port, { name: 'n9' })).rejects.toMatchObject({ code: 'NotFound', message: 'nodes "n9" not found' });
  });
});
