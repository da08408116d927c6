import type { CancelOutcome, Operation } from '@bosun/contracts';
import { createLogger } from '@bosun/logging';
import { applyChange } from '@bosun/gateway-domain';
import type { OperationChange } from '@bosun/gateway-domain';
import { Problem } from '../http/problem';
import type { PendingCommand } from './operation.store';
import { OperationsService } from './operations.service';

// OperationsService over fakes of our own ports (store, policies, publisher, notifier,
// operation control); the real fold rules (applyChange) decide what a change does.
class FakeStore {
  readonly ops = new Map<string, Operation>();
  readonly commands = new Map<string, PendingCommand>();
  readonly outbox = new Set<string>();
  endBeforeNextApply?: Operation['status'];
  async insert(op: Operation, pending: PendingCommand): Promise<void> {
    this.ops.set(op.id, op);
    this.commands.set(op.id, pending);
    if (op.status === 'queued') this.outbox.add(op.id);
  }
  async due(id: string): Promise<void> { this.outbox.add(id); }
  async sent(id: string): Promise<void> { this.outbox.delete(id); }
  async get(id: string): Promise<Operation | undefined> { return this.ops.get(id); }
  async pending(id: string): Promise<PendingCommand | undefined> { return this.commands.get(id); }
  async apply(id: string, change: OperationChange): Promise<Operation | undefined> {
    if (this.endBeforeNextApply) this.ops.set(id, { ...this.ops.get(id)!, status: this.endBeforeNextApply });
    const next = applyChange(this.ops.get(id)!, change);
    if (next) this.ops.set(id, next);
    return next;
  }
}

const op = (status: Operation['status']): Operation => ({
  id: 'op_1', kind: 'deployment.deploy', status, actor: { subject: 'user:alice', groups: [], via: 'api' },
  target: { cluster: 'default', namespace: 'team-a', kind: 'Deployment', name: 'web' }, createdAt: 't0', updatedAt: 't0',
});
const command: PendingCommand = { service: 'deployer', action: 'deploy', envelope: { operationId: 'op_1', kind: 'deployment.deploy', actor: op('queued').actor, target: op('queued').target, payload: {}, issuedAt: 't0' } };

let store: FakeStore;
let control: { cancel: jest.Mock<Promise<CancelOutcome>, [string, string, string?]> };
let publisher: { command: jest.Mock };
let policies: { rules: { namespaces: string[]; actions: string[]; approvals: number }[]; get: () => Promise<unknown[]> };
let service: OperationsService;
beforeEach(() => {
  store = new FakeStore();
  control = { cancel: jest.fn(async (_id: string, _by: string, _reason?: string): Promise<CancelOutcome> => ({ outcome: 'won' })) };
  publisher = { command: jest.fn(async () => ({ seq: 1, duplicate: false })) };
  policies = { rules: [], get: async () => policies.rules };
  service = new OperationsService(store as never, policies as never, publisher as never, { changed: () => undefined } as never, createLogger('test', 'silent'), control as never);
});
const seed = async (status: Operation['status']): Promise<void> => store.insert(op(status), command);

describe('OperationsService.cancel', () => {
  it.each(['queued', 'running', 'awaiting_approval'] as const)('%s, cancel won → cancelled; recorded in operation control; no command sent', async (status) => {
    await seed(status);
    const next = await service.cancel('op_1', { subject: 'user:bob' }, 'wrong image');
    expect(next).toMatchObject({ status: 'cancelled', error: { code: 'Cancelled', message: 'cancelled by user:bob' } });
    expect(control.cancel).toHaveBeenCalledWith('op_1', 'user:bob', 'wrong image');
    expect(publisher.command).not.toHaveBeenCalled();
  });

  it('too late → cancelled with CancelledAfterChange naming the service and when it claimed', async () => {
    await seed('running');
    control.cancel.mockResolvedValueOnce({ outcome: 'too-late', claimedBy: 'deployer-7f3a', claimedAt: '2026-12-01T10:00:00.000Z' });
    expect(await service.cancel('op_1', { subject: 'user:bob' })).toMatchObject({
      status: 'cancelled',
      error: { code: 'CancelledAfterChange', message: 'cancelled after deployer had started changing the cluster (2026-12-01T10:00:00.000Z): the change stays; Bosun stopped following it' },
    });
  });

  it('a terminal operation is a 409 and is not recorded', async () => {
    await seed('succeeded');
    await expect(service.cancel('op_1', { subject: 'user:bob' })).rejects.toMatchObject({ status: 409, detail: 'operation op_1 already succeeded' });
    expect(control.cancel).not.toHaveBeenCalled();
  });

  it('operation control unreachable → 503 Unavailable, the operation untouched', async () => {
    await seed('queued');
    control.cancel.mockRejectedValueOnce(new Error('TIMEOUT'));
    const e = await service.cancel('op_1', { subject: 'user:bob' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(Problem);
    expect(e).toMatchObject({ status: 503, code: 'Unavailable' });
    expect(store.ops.get('op_1')!.status).toBe('queued');
  });

  it('ended meanwhile (the service reported first) → 409 naming how it ended', async () => {
    await seed('running');
    store.endBeforeNextApply = 'succeeded';
    await expect(service.cancel('op_1', { subject: 'user:bob' })).rejects.toMatchObject({ status: 409, detail: 'operation op_1 ended meanwhile (succeeded)' });
  });

  it('an unknown operation is a 404', async () => {
    await expect(service.cancel('op_nope', { subject: 'user:bob' })).rejects.toMatchObject({ status: 404 });
  });
});

describe('OperationsService.submit', () => {
  const req = { kind: 'deployment.deploy', service: 'deployer' as const, action: 'deploy', target: op('queued').target, payload: { image: 'nginx' }, actor: op('queued').actor };

  it('queued → the command is sent to the owning service', async () => {
    const { operation } = await service.submit(req);
    expect(operation.status).toBe('queued');
    expect(publisher.command).toHaveBeenCalledWith('bosun.cmd.deployer.deploy.v1', expect.objectContaining({ operationId: operation.id, payload: { image: 'nginx' } }));
    expect(await store.pending(operation.id)).toMatchObject({ service: 'deployer', action: 'deploy' });
    await new Promise((r) => setImmediate(r));
    expect(store.outbox.has(operation.id)).toBe(false); // acknowledged: out of the outbox
  });

  it('awaiting approval → nothing is sent until an approver decides', async () => {
    policies.rules = [{ namespaces: ['team-*'], actions: ['deployment.*'], approvals: 1 }];
    expect((await service.submit(req)).operation.status).toBe('awaiting_approval');
    expect(publisher.command).not.toHaveBeenCalled();
  });

  it('the bus refusing the command: still accepted (queued), the command stays in the outbox for the dispatcher', async () => {
    publisher.command.mockRejectedValueOnce(new Error('no stream'));
    const { operation } = await service.submit(req);
    expect(operation.status).toBe('queued');
    expect(store.ops.get(operation.id)).toMatchObject({ status: 'queued' });
    expect(store.outbox.has(operation.id)).toBe(true);
    expect(await service.dispatch(operation.id)).toBe(true); // the bus is back
    await new Promise((r) => setImmediate(r));
    expect(store.outbox.has(operation.id)).toBe(false);
  });
});
