import type { KubePort } from '@bosun/kube';
import { evictionPort } from './eviction.port';

describe('evictionPort', () => {
  const pod = { namespace: 'ns', name: 'p' };

  it('uses tryEvict when the port has it: dry runs and grace periods pass, -1 keeps the pod\'s own', async () => {
    const calls: unknown[] = [];
    const port = { tryEvict: async (_p: unknown, opts: unknown) => (calls.push(opts), { outcome: 'blocked', message: 'no', causes: [{ reason: 'DisruptionBudget' }] }) } as unknown as KubePort;
    const evictions = evictionPort(port);
    expect(evictions.dryRunSupported).toBe(true);
    expect(await evictions.evict(pod, { dryRun: true, gracePeriodSeconds: -1 })).toEqual({ outcome: 'blocked', message: 'no', causes: [{ reason: 'DisruptionBudget' }] });
    await evictions.evict(pod, { gracePeriodSeconds: 5 });
    expect(calls).toEqual([{ dryRun: true, gracePeriodSeconds: undefined }, { gracePeriodSeconds: 5 }]);
  });

  it('falls back to evict (outcome only) and refuses a dry run it cannot send', async () => {
    const port = { evict: async () => 'evicted' } as unknown as KubePort;
    const evictions = evictionPort(port);
    expect(evictions.dryRunSupported).toBe(false);
    expect(await evictions.evict(pod, {})).toEqual({ outcome: 'evicted' });
    await expect(evictions.evict(pod, { dryRun: true })).rejects.toThrow('dry-run');
  });
});
