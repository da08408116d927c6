import { eventually, uniqueName } from '@bosun/testing';
import { AuditLog } from '../audit/audit.log';
import { GatewayHarness } from '../testing/gateway.harness';
import { OperationStore } from './operation.store';

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

it('an Idempotency-Key is claimed in the step that stores the operation: a taken key writes nothing, the same key with another body is a 409', async () => {
  const store = h.app.get(OperationStore);
  const now = new Date().toISOString();
  const actor = { subject: 'user:admin', groups: [], via: 'api' as const };
  const target = { cluster: 'default', namespace: 'int-intake', kind: 'Deployment', name: uniqueName('web') };
  const op = (id: string) => ({ id, kind: 'deployment.deploy', status: 'queued' as const, actor, target, createdAt: now, updatedAt: now });
  const pending = (id: string) => ({ service: 'deployer' as const, action: 'deploy', envelope: { operationId: id, kind: 'deployment.deploy', actor, target, payload: {}, issuedAt: now } });
  const key = { key: `bosun:idem:user:admin:${uniqueName('k')}`, claim: '{"fingerprint":"f","operationId":"op_first0000000000000"}', ttlSeconds: 60 };
  expect(await store.insertOnce(op('op_first0000000000000'), pending('op_first0000000000000'), undefined, key)).toBeUndefined();
  expect(await store.get('op_first0000000000000')).toMatchObject({ status: 'queued' });
  // A second insert under the taken key: the first claim back, and not one write.
  expect(await store.insertOnce(op('op_second000000000000'), pending('op_second000000000000'), undefined, { ...key, claim: 'other' })).toBe(key.claim);
  expect(await store.get('op_second000000000000')).toBeUndefined();
  expect(await store.pending('op_second000000000000')).toBeUndefined();
  expect(await store.isUnsent('op_second000000000000')).toBe(false);

  // Over HTTP: the same key with another body.
  const k = uniqueName('key');
  const body = { namespace: 'int-intake', name: uniqueName('web'), image: 'nginx:1.27' };
  expect((await h.call('POST', '/v1/deployments', body, { 'idempotency-key': k })).status).toBe(202);
  const other = await h.call('POST', '/v1/deployments', { ...body, image: 'nginx:1.28' }, { 'idempotency-key': k });
  expect(other).toMatchObject({ status: 409, body: { code: 'IdempotencyKeyReused' } });
});
