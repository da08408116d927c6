import type { Operation } from '@bosun/contracts';
import { Problem } from '../http/problem';
import { audited, bearer, moduleUnderTest } from '../testing/module.testing';
import type { ModuleUnderTest } from '../testing/module.testing';
import { ApprovalPolicyStore } from './approval-policy.store';
import { OperationStore } from './operation.store';
import { OperationsModule } from './operations.module';
import { OperationsService } from './operations.service';

const op = (status: Operation['status'], extra: Partial<Operation> = {}): Operation => ({
  id: 'op_1', kind: 'deployment.deploy', status, actor: { subject: 'user:operator', groups: [], via: 'api' },
  target: { cluster: 'default', namespace: 'team-a', kind: 'Deployment', name: 'web' }, createdAt: 't', updatedAt: 't', ...extra,
});
const operations = {
  get: jest.fn(async (id: string) => {
    if (id !== 'op_1') throw new Problem(404, 'Not Found', `operation ${id} does not exist`);
    return op('queued');
  }),
  decide: jest.fn(async (_id: string, by: { subject: string }, d: 'approve' | 'reject') => op(d === 'approve' ? 'queued' : 'rejected', { approvals: [{ subject: by.subject, at: 't', decision: d }] })),
  cancel: jest.fn(async () => op('cancelled', { error: { code: 'Cancelled', message: 'cancelled by user:operator' } })),
};
const store = { list: jest.fn(async () => [op('queued')]) };
const policies = { get: jest.fn(async () => []), put: jest.fn(async () => undefined) };
let m: ModuleUnderTest;
beforeAll(async () => {
  m = await moduleUnderTest(OperationsModule, (b) => b.overrideProvider(OperationsService).useValue(operations).overrideProvider(OperationStore).useValue(store).overrideProvider(ApprovalPolicyStore).useValue(policies));
});
afterAll(async () => { await m?.app.close(); });
beforeEach(() => jest.clearAllMocks());

describe('OperationsModule over HTTP', () => {
  it('reads: any role; an unknown operation is a 404 problem', async () => {
    expect((await m.http.get('/v1/operations/op_1')).status).toBe(401);
    expect((await m.http.get('/v1/operations/op_1').set(bearer('viewer'))).body).toMatchObject({ id: 'op_1', status: 'queued' });
    const nf = await m.http.get('/v1/operations/op_nope').set(bearer('viewer'));
    expect(nf.status).toBe(404);
    expect(nf.body).toEqual({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'operation op_nope does not exist' });
  });

  it('list filters are typed by the query pipe; bad ones are 422 naming query.<field>', async () => {
    expect((await m.http.get('/v1/operations?status=running&limit=5').set(bearer('viewer'))).body.items).toHaveLength(1);
    expect(store.list).toHaveBeenCalledWith({ status: 'running', limit: 5 });
    const bad = await m.http.get('/v1/operations?status=sleeping&limit=0').set(bearer('viewer'));
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['query.limit', 'query.status']);
  });

  it('approve and reject need the approver role; the decision goes through with the reason', async () => {
    expect((await m.http.post('/v1/operations/op_1/approve').set(bearer('operator')).send({})).status).toBe(403);
    const ok = await m.http.post('/v1/operations/op_1/approve').set(bearer('approver'));
    expect(ok.status).toBe(200);
    expect(operations.decide).toHaveBeenLastCalledWith('op_1', expect.objectContaining({ subject: 'user:approver' }), 'approve');
    await m.http.post('/v1/operations/op_1/reject').set(bearer('approver')).send({ reason: 'not today' });
    expect(operations.decide).toHaveBeenLastCalledWith('op_1', expect.anything(), 'reject', 'not today');
    const bad = await m.http.post('/v1/operations/op_1/reject').set(bearer('approver')).send({ reason: 7, extra: true });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['(body)', 'reason']);
  });

  it('cancel: operator or above, with an optional reason; viewers get 403', async () => {
    expect((await m.http.post('/v1/operations/op_1/cancel').set(bearer('viewer'))).status).toBe(403);
    const r = await m.http.post('/v1/operations/op_1/cancel').set(bearer('operator')).send({ reason: 'wrong image' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'cancelled', error: { code: 'Cancelled' } });
    expect(operations.cancel).toHaveBeenCalledWith('op_1', expect.objectContaining({ subject: 'user:operator' }), 'wrong image');
    expect(await audited(m, { action: 'operation.cancel', target: { kind: 'Operation', name: 'op_1' }, outcome: 'accepted' })).toBeDefined();
  });

  it('the approval policy: admin writes it, 422 naming the rule field, anyone reads it', async () => {
    expect((await m.http.put('/v1/policies/approvals').set(bearer('operator')).send({ rules: [] })).status).toBe(403);
    const bad = await m.http.put('/v1/policies/approvals').set(bearer('admin')).send({ rules: [{ namespaces: [], actions: ['deployment.*'], approvals: 2 }] });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['rules.0.approvals', 'rules.0.namespaces']);
    const rules = [{ namespaces: ['prod-*'], actions: ['deployment.*'], approvals: 1 }];
    expect((await m.http.put('/v1/policies/approvals').set(bearer('admin')).send({ rules })).body).toEqual({ rules });
    expect(policies.put).toHaveBeenCalledWith(rules);
    expect((await m.http.get('/v1/policies/approvals').set(bearer('viewer'))).status).toBe(200);
  });
});
