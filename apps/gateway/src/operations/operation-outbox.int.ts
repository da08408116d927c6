import { randomUUID } from 'node:crypto';
import type { Operation } from '@bosun/contracts';
import { decodeJson } from '@bosun/messaging';
import { eventually, infra, uniqueName } from '@bosun/testing';
import { GatewayHarness } from '../testing/gateway.harness';
import { OperationStore } from './operation.store';
import { OperationsService } from './operations.service';

// The outbox against real NATS and Redis: an accepted operation's command reaches the stream
// even when the gateway died between storing and sending it, or NATS was away when it was
// accepted — it is never failed for the bus's absence, and never sent twice.
jest.setTimeout(60_000);
let h: GatewayHarness;
const seen: { subject: string; operationId: string }[] = [];

beforeAll(async () => {
  h = await GatewayHarness.start({ dispatcher: { intervalMs: 200, graceMs: 300 } });
  h.nc.subscribe('bosun.cmd.deployer.>', { callback: (_e, m) => void seen.push({ subject: m.subject, operationId: (decodeJson(m.data) as { operationId: string }).operationId }) });
  await h.nc.flush();
}, 30_000);
afterAll(async () => { await h?.close(); });

/** What the intake stores for a deploy, written straight to the store as if the process died right after. */
const stored = async (): Promise<Operation> => {
  const id = `op_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
  const now = new Date().toISOString();
  const actor = { subject: 'user:admin', groups: ['system:masters'], via: 'api' as const };
  const target = { cluster: 'default', namespace: 'int-outbox', kind: 'Deployment', name: uniqueName('web') };
  const op: Operation = { id, kind: 'deployment.deploy', status: 'queued', actor, target, createdAt: now, updatedAt: now };
  await h.app.get(OperationStore).insert(op, { service: 'deployer', action: 'deploy', envelope: { operationId: id, kind: op.kind, actor, target, payload: { namespace: 'int-outbox', name: target.name, image: 'nginx:1.27' }, issuedAt: now } });
  return op;
};
const sent = (id: string): number => seen.filter((s) => s.operationId === id).length;

it('a command stored but never sent (the gateway died in between) is sent by the dispatcher, once', async () => {
  const op = await stored();
  expect(await h.app.get(OperationStore).isUnsent(op.id)).toBe(true);
  await eventually(() => (sent(op.id) ? true : undefined), 'the command on the stream');
  await eventually(async () => (!(await h.app.get(OperationStore).isUnsent(op.id)) ? true : undefined), 'out of the outbox');
  await new Promise((r) => setTimeout(r, 1000)); // several dispatcher rounds
  expect(sent(op.id)).toBe(1);
  expect((await h.call('GET', `/v1/operations/${op.id}`)).body).toMatchObject({ status: 'queued' });
});

it('NATS away when the operation is accepted: the operation stays queued and its command goes out when NATS is back', async () => {
  const op = await stored();
  infra('stop-nats');
  try {
    expect(await h.app.get(OperationsService).dispatch(op.id)).toBe(false);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await h.call('GET', `/v1/operations/${op.id}`)).body).toMatchObject({ status: 'queued' });
    expect(await h.app.get(OperationStore).isUnsent(op.id)).toBe(true);
  } finally {
    infra('start-nats');
  }
  await eventually(() => (sent(op.id) ? true : undefined), 'the command on the stream after NATS came back', 30_000, 200);
  await eventually(async () => (!(await h.app.get(OperationStore).isUnsent(op.id)) ? true : undefined), 'out of the outbox');
  expect((await h.app.get(OperationStore).pending(op.id))?.sent).toBe(true);
});

it('a cancelled operation leaves the outbox unsent', async () => {
  infra('stop-nats');
  let op: Operation;
  try {
    op = await stored();
    // The cancel needs the bus (operation control), so it is recorded in the store as the reconciler would.
    await h.app.get(OperationsService).change(op.id, { type: 'cancelled', at: new Date().toISOString(), by: 'user:admin' });
  } finally {
    infra('start-nats');
  }
  await eventually(async () => (!(await h.app.get(OperationStore).isUnsent(op.id)) ? true : undefined), 'dropped from the outbox', 30_000, 200);
  expect(sent(op.id)).toBe(0);
});
