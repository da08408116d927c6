import { eventually, uniqueName } from '@bosun/testing';
import { GatewayHarness } from '../testing/gateway.harness';

// GET /v1/operations?status=&kind=&limit= through the whole gateway: operations made over
// HTTP, moved by the deployer's events (the test plays the deployer) and a cancel, then
// listed from the status and kind indexes the store keeps in the same write as each change.
jest.setTimeout(60_000);
let h: GatewayHarness;
beforeAll(async () => { h = await GatewayHarness.start(); }, 30_000);
afterAll(async () => { await h?.close(); });

const ns = uniqueName('int-list');
const deploy = async (): Promise<string> => {
  const r = await h.call('POST', '/v1/deployments', { namespace: ns, name: uniqueName('web'), image: 'nginx:1.27' });
  expect(r.status).toBe(202);
  return r.body.id;
};
const restart = async (): Promise<string> => {
  const r = await h.call('POST', `/v1/deployments/${ns}/${uniqueName('web')}/restart`);
  expect(r.status).toBe(202);
  return r.body.id;
};
const list = async (query: string): Promise<{ id: string; status: string; kind: string }[]> => {
  const r = await h.call('GET', `/v1/operations?${query}`);
  expect(r.status).toBe(200);
  return r.body.items;
};
const statusOf = async (id: string): Promise<string> => (await h.call('GET', `/v1/operations/${id}`)).body.status;

describe('gateway: operations listed by status and kind (real NATS and Redis)', () => {
  it('answers each filter with the right operations, newest first, after every change', async () => {
    // Made one after the other, so creation order is this order.
    const d1 = await deploy();
    const r1 = await restart();
    const d2 = await deploy();
    const d3 = await deploy();
    const r2 = await restart();
    const d4 = await deploy();
    await h.reporter.started(d1);
    await h.reporter.succeeded(d1, { revision: 1 });
    await h.reporter.failed(d2, { code: 'ProgressDeadlineExceeded', message: 'timed out' });
    await h.reporter.succeeded(r1);
    await h.reporter.started(d3);
    expect((await h.call('POST', `/v1/operations/${r2}/cancel`)).status).toBe(200);
    const expected: Record<string, string> = { [d1]: 'succeeded', [d2]: 'failed', [r1]: 'succeeded', [d3]: 'running', [r2]: 'cancelled', [d4]: 'queued' };
    for (const [id, status] of Object.entries(expected)) await eventually(async () => ((await statusOf(id)) === status ? true : undefined), `${id} ${status}`);

    // The newest of each are ours (nothing else makes operations while this runs).
    expect((await list('kind=deployment.deploy&limit=4')).map((o) => o.id)).toEqual([d4, d3, d2, d1]);
    expect((await list('kind=deployment.restart&limit=2')).map((o) => o.id)).toEqual([r2, r1]);
    expect((await list('status=succeeded&limit=2')).map((o) => o.id)).toEqual([r1, d1]);
    expect((await list('status=succeeded&kind=deployment.deploy&limit=1')).map((o) => o.id)).toEqual([d1]);
    expect((await list('status=failed&kind=deployment.deploy&limit=1'))[0]).toMatchObject({ id: d2, status: 'failed', kind: 'deployment.deploy' });
    expect((await list('status=running&kind=deployment.deploy&limit=1')).map((o) => o.id)).toEqual([d3]);
    expect((await list('status=cancelled&kind=deployment.restart&limit=1')).map((o) => o.id)).toEqual([r2]);
    expect((await list('status=queued&limit=1')).map((o) => o.id)).toEqual([d4]);
    expect((await list('limit=6')).map((o) => o.id)).toEqual([d4, r2, d3, d2, r1, d1]);
    // Every item of a filtered list matches the filter, however many there are.
    const failed = await list('status=failed&limit=500');
    expect(failed.every((o) => o.status === 'failed')).toBe(true);
    expect(failed.map((o) => o.id)).toContain(d2);
    expect(await list(`kind=${uniqueName('no.such.kind')}`)).toEqual([]);

    // A change moves it: d3 succeeds, and is listed as succeeded, no longer as running.
    await h.reporter.succeeded(d3);
    await eventually(async () => ((await statusOf(d3)) === 'succeeded' ? true : undefined), 'd3 succeeded');
    expect((await list('status=succeeded&kind=deployment.deploy&limit=2')).map((o) => o.id)).toEqual([d3, d1]);
    expect((await list('status=running&kind=deployment.deploy&limit=500')).map((o) => o.id)).not.toContain(d3);
    // Nothing of ours stays open for a later test's reconciler.
    expect((await h.call('POST', `/v1/operations/${d4}/cancel`)).status).toBe(200);
  });
});
