import { createLogger } from '@bosun/logging';
import { asPort, FakeKubePort } from '../testing/fake-kube.port';
import { LeaderLease } from './leader.lease';

const logger = createLogger('test', 'silent');
const opts = (identity: string): { namespace: string; name: string; identity: string; durationSeconds: number } => ({ namespace: 'kube-system', name: 'bosun-local-path', identity, durationSeconds: 0.3 });
const until = async (check: () => boolean, ms = 3000): Promise<void> => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('LeaderLease (fake port, conditional writes)', () => {
  it('one of two candidates leads; when it stops (handing the lease back) the other takes over', async () => {
    const fake = new FakeKubePort();
    const changes: string[] = [];
    const a = new LeaderLease(asPort(fake), opts('a'), logger, (l) => changes.push(`a:${l}`));
    const b = new LeaderLease(asPort(fake), opts('b'), logger, (l) => changes.push(`b:${l}`));
    a.start();
    await until(() => a.isLeader);
    b.start();
    await new Promise((r) => setTimeout(r, 500));
    expect([a.isLeader, b.isLeader]).toEqual([true, false]);
    expect(fake.all('Lease')[0].spec).toMatchObject({ holderIdentity: 'a', leaseTransitions: 0, renewTime: expect.stringMatching(/\.\d{6}Z$/) });
    await a.stop();
    await until(() => b.isLeader);
    expect(a.isLeader).toBe(false);
    expect(fake.all('Lease')[0].spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    await b.stop();
    expect(changes).toEqual(['a:true', 'a:false', 'b:true', 'b:false']);
  });

  it('a holder that stops renewing (crashed) is replaced once the lease has not changed for its duration', async () => {
    const fake = new FakeKubePort().seed({
      apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'bosun-local-path', namespace: 'kube-system' },
      spec: { holderIdentity: 'crashed', leaseDurationSeconds: 0.3, renewTime: '2026-12-01T00:00:00.000000Z' },
    });
    const b = new LeaderLease(asPort(fake), opts('b'), logger, () => undefined);
    b.start();
    await new Promise((r) => setTimeout(r, 150));
    expect(b.isLeader).toBe(false);
    await until(() => b.isLeader);
    await b.stop();
  });
});
