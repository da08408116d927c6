import { eventually, uniqueName } from '@bosun/testing';
import { AuditLog } from '../audit/audit.log';
import { GatewayHarness } from '../testing/gateway.harness';

// The intake against real NATS and Redis: an accepted operation is audited in the same Redis
// transaction that creates it, so its entry is there as soon as the 202 is, and exactly once.
jest.setTimeout(60_000);
let h: GatewayHarness;

beforeAll(async () => { h = await GatewayHarness.start(); }, 30_000);
afterAll(async () => { await h?.close(); });

const entriesOf = async (operationId: string): Promise<unknown[]> =>
  (await h.app.get(AuditLog).query({ action: 'deployment.deploy', limit: 1000 })).filter((e) => e.operationId === operationId);

it('an accepted operation\'s audit entry is written with it (readable when the 202 is), once; a repeat with its key is audited as its own request', async () => {
  const body = { namespace: 'int-intake', name: uniqueName('web'), image: 'nginx:1.27' };
  const key = uniqueName('key');
  const first = await h.call('POST', '/v1/deployments', body, { 'idempotency-key': key });
  expect(first.status).toBe(202);
  // No waiting: the entry was committed before the answer left.
  expect(await entriesOf(first.body.id)).toEqual([
    expect.objectContaining({ subject: 'user:admin', via: 'api', action: 'deployment.deploy', operationId: first.body.id, outcome: 'accepted', status: 202, target: { cluster: 'default', namespace: 'int-intake', kind: 'Deployment', name: body.name } }),
  ]);
  const repeat = await h.call('POST', '/v1/deployments', body, { 'idempotency-key': key });
  expect(repeat).toMatchObject({ status: 202, body: { id: first.body.id } });
  // The repeat is written by the audit middleware when its answer finishes: two entries, never three.
  await eventually(async () => ((await entriesOf(first.body.id)).length === 2 ? true : undefined), 'the repeat audited');
  await new Promise((r) => setTimeout(r, 300));
  expect(await entriesOf(first.body.id)).toHaveLength(2);
});
