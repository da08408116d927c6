import { decodeJson } from '@bosun/messaging';
import { eventually, uniqueName } from '@bosun/testing';
import { GatewayHarness } from '../testing/gateway.harness';

// Cancel decided in OperationControl (a JetStream KV entry per operation): the gateway and
// the test, acting as the deployer, race on the same real NATS bucket.
jest.setTimeout(60_000);
let h: GatewayHarness;
const cancelCommands: { operationId: string }[] = [];
beforeAll(async () => {
  h = await GatewayHarness.start();
  // The old protocol sent a `cancel` command; services now watch the control bucket instead.
  h.nc.subscribe('bosun.cmd.*.cancel.v1', { callback: (_e, m) => void cancelCommands.push(decodeJson(m.data) as { operationId: string }) });
  await h.nc.flush();
}, 30_000);
afterAll(async () => { await h?.close(); });

const deploy = async (namespace = 'int-cancel'): Promise<{ id: string; status: string }> => {
  const r = await h.call('POST', '/v1/deployments', { namespace, name: uniqueName('web'), image: 'nginx:1.27' });
  expect(r.status).toBe(202);
  return r.body;
};
const get = async (id: string): Promise<any> => (await h.call('GET', `/v1/operations/${id}`)).body;

describe('gateway: cancel tells the truth (real NATS KV and Redis)', () => {
  it('a queued operation: the cancel wins, the entry says cancelled, a later claim by the service is refused', async () => {
    const op = await deploy();
    expect(op.status).toBe('queued');
    const c = await h.call('POST', `/v1/operations/${op.id}/cancel`, { reason: 'wrong image' });
    expect(c.status).toBe(200);
    expect(c.body).toMatchObject({ id: op.id, status: 'cancelled', error: { code: 'Cancelled', message: 'cancelled by user:admin' } });
    expect(await h.control.get(op.id)).toMatchObject({ cancelledBy: 'user:admin', reason: 'wrong image' });
    expect(await h.control.claim(op.id, 'deployer-test')).toEqual({ outcome: 'cancelled', cancelledBy: 'user:admin' });
    expect((await h.call('POST', `/v1/operations/${op.id}/cancel`)).status).toBe(409);
    await h.nc.flush();
    expect(cancelCommands.filter((c) => c.operationId === op.id)).toEqual([]);
  });

  it('an operation awaiting approval: cancelled, and recorded so that nothing can run it later', async () => {
    const ns = uniqueName('int-cancel-prod');
    expect((await h.call('PUT', '/v1/policies/approvals', { rules: [{ namespaces: [ns], actions: ['deployment.*'], approvals: 1 }] })).status).toBe(200);
    try {
      const op = await deploy(ns);
      expect(op.status).toBe('awaiting_approval');
      const c = await h.call('POST', `/v1/operations/${op.id}/cancel`);
      expect(c.body).toMatchObject({ status: 'cancelled', error: { code: 'Cancelled' } });
      expect(await h.control.claim(op.id, 'deployer-test')).toEqual({ outcome: 'cancelled', cancelledBy: 'user:admin' });
    } finally {
      await h.call('PUT', '/v1/policies/approvals', { rules: [] });
    }
  });

  it('after the service claimed it: cancelled with CancelledAfterChange naming the service and the claim time; later events change nothing', async () => {
    const op = await deploy();
    expect(await h.control.claim(op.id, 'deployer-7f3a')).toEqual({ outcome: 'claimed' });
    const { claimedAt } = (await h.control.get(op.id))!;
    await h.reporter.started(op.id);
    await eventually(async () => ((await get(op.id)).status === 'running' ? true : undefined), 'running');
    const c = await h.call('POST', `/v1/operations/${op.id}/cancel`);
    expect(c.status).toBe(200);
    expect(c.body).toMatchObject({
      status: 'cancelled',
      error: { code: 'CancelledAfterChange', message: `cancelled after deployer had started changing the cluster (${claimedAt}): the change stays; Bosun stopped following it` },
    });
    // Recorded on the claimed entry too: the replica running the job sees it and stops following.
    expect(await h.control.isCancelled(op.id)).toBe(true);
    // A success reported afterwards is ignored; events are folded in order, so once the next
    // operation's event is folded, this one's has been too.
    await h.reporter.succeeded(op.id, { revision: 2 });
    const marker = await deploy();
    await h.reporter.started(marker.id);
    await eventually(async () => ((await get(marker.id)).status === 'running' ? true : undefined), 'marker folded');
    expect(await get(op.id)).toMatchObject({ status: 'cancelled', error: { code: 'CancelledAfterChange' } });
    expect((await get(op.id)).result).toBeUndefined();
  });
});
