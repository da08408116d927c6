import type { KubePort } from '@bosun/kube';
import { evictionPort } from './eviction.port';

describe('evictionPort', () => {
  it('passes dry runs and grace periods to tryEvict; -1 keeps the pod\'s own grace period', async () => {
    const calls: unknown[] = [];
    const port = { tryEvict: async (_p: unknown, opts: unknown) => (calls.push(opts), { outcome: 'blocked', message: 'no', causes: [{ reason: 'DisruptionBudget' }] }) } as unknown as KubePort;
    const evictions = evictionPort(port);
    expect(await evictions.evict({ namespace: 'ns', name: 'p' }, { dryRun: true, gracePeriodSeconds: -1 })).toEqual({ outcome: 'blocked', message: 'no', causes: [{ reason: 'DisruptionBudget' }] });
    await evictions.evict({ namespace: 'ns', name: 'p' }, { gracePeriodSeconds: 5 });
    expect(calls).toEqual([{ dryRun: true, gracePeriodSeconds: undefined }, { gracePeriodSeconds: 5 }]);
  });
});
