import { KubeError } from '@bosun/kube';
import type { KubeObject, KubePort } from '@bosun/kube';
import { EventRecorder } from './claim.events';

// Events are written one at a time in the order recorded (as client-go's broadcaster does), so a
// burst of claims does not put twice as many writes on the apiserver as PVs; a failure stays its own.
const claim = (name: string): { apiVersion: string; kind: string; metadata: { name: string; namespace: string; uid: string } } =>
  ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'ns', uid: `uid-${name}` } });

describe('EventRecorder', () => {
  it('writes one event at a time, in order; a failed write fails only its own record', async () => {
    let inFlight = 0;
    let most = 0;
    const written: string[] = [];
    const port = {
      create: async (obj: KubeObject): Promise<KubeObject> => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight -= 1;
        const name = (obj.involvedObject as { name: string }).name;
        if (name === 'bad') throw new KubeError(403, 'Forbidden', 'events is forbidden');
        written.push(`${name}:${obj.reason as string}`);
        return obj;
      },
    } as unknown as KubePort;
    const recorder = new EventRecorder(port, 'me');
    const results = await Promise.allSettled([
      recorder.record(claim('a'), { type: 'Normal', reason: 'Provisioning', message: 'm' }),
      recorder.record(claim('bad'), { type: 'Normal', reason: 'Provisioning', message: 'm' }),
      recorder.record(claim('b'), { type: 'Normal', reason: 'Provisioning', message: 'm' }),
      recorder.record(claim('a'), { type: 'Normal', reason: 'ProvisioningSucceeded', message: 'm' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(written).toEqual(['a:Provisioning', 'b:Provisioning', 'a:ProvisioningSucceeded']);
    expect(most).toBe(1);
  });
});
