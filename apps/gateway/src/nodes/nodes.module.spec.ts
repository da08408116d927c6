import { PROVISIONER_QUERIES, querySubject } from '@bosun/contracts';
import { audited, bearer, FakeOperations, moduleUnderTest } from '../testing/module.testing';
import type { ModuleUnderTest } from '../testing/module.testing';
import { OperationsService } from '../operations/operations.service';
import { NodesModule } from './nodes.module';

const operations = new FakeOperations('op_nd');
const { submitted } = operations;
const q = (name: string): string => querySubject('provisioner', name);
const paths = (r: { body: { errors: { path: string }[] } }): string[] => r.body.errors.map((e) => e.path).sort();
let m: ModuleUnderTest;
beforeAll(async () => { m = await moduleUnderTest(NodesModule, (b) => b.overrideProvider(OperationsService).useValue(operations)); });
afterAll(async () => { await m?.app.close(); });
beforeEach(() => { submitted.length = 0; m.queries.calls.length = 0; });

const plan = { evict: ['team-a/web-1'], skip: [{ pod: 'kube-system/proxy-x', reason: 'DaemonSet' }], refuse: [], blocked: [{ pod: 'team-a/db-0', disruptionBudget: 'team-a/db', needs: 1, has: 1 }] };

describe('NodesModule over HTTP (fakes of our own ports)', () => {
  it('roles: 401 anonymous; cordon, uncordon and drain operator; join tokens admin', async () => {
    expect((await m.http.get('/v1/nodes')).status).toBe(401);
    for (const verb of ['cordon', 'uncordon', 'drain']) {
      const r = await m.http.post(`/v1/nodes/worker-1/${verb}`).set(bearer('viewer'));
      expect([verb, r.status, r.body.detail]).toEqual([verb, 403, 'user:viewer needs the operator role for this request (has: viewer)']);
    }
    expect((await m.http.post('/v1/nodes/worker-1/drain?dryRun=true').set(bearer('viewer'))).status).toBe(403);
    expect((await m.http.post('/v1/nodes/join-tokens').set(bearer('operator'))).status).toBe(403);
    expect(submitted).toEqual([]);
    expect(m.queries.calls).toEqual([]);
  });

  it('cordon and uncordon: 202 + Location, kind node.<verb>, target the Node, {name} as payload', async () => {
    for (const verb of ['cordon', 'uncordon']) {
      const r = await m.http.post(`/v1/nodes/worker-1.example/${verb}?cluster=edge`).set(bearer('operator'));
      expect(r.status).toBe(202);
      expect(r.headers.location).toBe('/v1/operations/op_nd');
      expect(submitted.at(-1)).toMatchObject({ kind: `node.${verb}`, service: 'provisioner', action: `node-${verb}`, target: { cluster: 'edge', kind: 'Node', name: 'worker-1.example' }, payload: { name: 'worker-1.example' } });
    }
    expect(await audited(m, { action: 'node.uncordon', operationId: 'op_nd', status: 202 })).toBeDefined();
    const bad = await m.http.post('/v1/nodes/Worker_1/cordon').set(bearer('operator'));
    expect(bad.status).toBe(422);
    expect(paths(bad)).toEqual(['name']);
  });

  it('drain: an operation with the options as kubectl names them; no body is a drain with defaults', async () => {
    const r = await m.http.post('/v1/nodes/worker-1/drain').set(bearer('operator')).send({ timeoutSeconds: 120, gracePeriodSeconds: 30, deleteEmptyDirData: true, force: false });
    expect(r.status).toBe(202);
    expect(submitted[0]).toMatchObject({
      kind: 'node.drain', action: 'node-drain', target: { kind: 'Node', name: 'worker-1' },
      payload: { name: 'worker-1', timeoutSeconds: 120, gracePeriodSeconds: 30, deleteEmptyDirData: true, force: false },
    });
    expect((await m.http.post('/v1/nodes/worker-1/drain?dryRun=false').set(bearer('operator'))).status).toBe(202);
    expect(submitted[1].payload).toEqual({ name: 'worker-1' });
    expect(m.queries.calls.map((c) => c.subject)).toEqual(['bosun.qry.provisioner.validate.v1', 'bosun.qry.provisioner.validate.v1']);
  });

  it('drain ?dryRun=true: 200 with the plan, no operation; the options go to drain-plan', async () => {
    m.queries.answer(q(PROVISIONER_QUERIES.drainPlan), { ok: true, value: plan });
    const r = await m.http.post('/v1/nodes/worker-1/drain?dryRun=true').set(bearer('operator')).send({ force: true });
    expect(r.status).toBe(200);
    expect(r.body).toEqual(plan);
    expect(m.queries.calls).toEqual([expect.objectContaining({ subject: q(PROVISIONER_QUERIES.drainPlan), envelope: expect.objectContaining({ params: { name: 'worker-1', force: true, dryRun: true } }) })]);
    expect(submitted).toEqual([]);
    expect(await audited(m, { action: 'node.drain-plan', status: 200 })).toBeDefined();
    m.queries.answer(q(PROVISIONER_QUERIES.drainPlan), { ok: false, error: { code: 'NotFound', message: 'nodes "worker-9" not found' } });
    expect((await m.http.post('/v1/nodes/worker-9/drain?dryRun=true').set(bearer('operator'))).status).toBe(404);
  });

  it('drain: bad options and dryRun are 422 naming them', async () => {
    const r = await m.http.post('/v1/nodes/worker-1/drain').set(bearer('operator')).send({ timeoutSeconds: 0, gracePeriodSeconds: -5, force: 'yes', evictDaemonSets: true });
    expect(r.status).toBe(422);
    expect(paths(r)).toEqual(['(body)', 'force', 'gracePeriodSeconds', 'timeoutSeconds']);
    const dry = await m.http.post('/v1/nodes/worker-1/drain?dryRun=maybe').set(bearer('operator'));
    expect(dry.body.errors).toEqual([{ path: 'query.dryRun', message: 'dryRun must be true or false' }]);
    expect(submitted).toEqual([]);
  });

  it('list as {items}; join token 201 with the ttl passed through, or none', async () => {
    const node = { name: 'worker-1', ready: 'True', schedulable: true, roles: [], taints: [], problems: [] };
    m.queries.answer(q(PROVISIONER_QUERIES.nodesList), { ok: true, value: [node] });
    expect((await m.http.get('/v1/nodes').set(bearer('viewer'))).body).toEqual({ items: [node] });
    const token = { token: 'abcdef.0123456789abcdef', expiresAt: '2026-12-02T20:00:00Z', joinCommand: 'kubeadm join 10.0.0.1:6443 --token abcdef.0123456789abcdef' };
    m.queries.answer(q(PROVISIONER_QUERIES.joinToken), { ok: true, value: token });
    const r = await m.http.post('/v1/nodes/join-tokens').set(bearer('admin')).send({ ttlSeconds: 3600 });
    expect(r.status).toBe(201);
    expect(r.body).toEqual(token);
    expect(m.queries.calls.at(-1)?.envelope.params).toEqual({ ttlSeconds: 3600 });
    expect((await m.http.post('/v1/nodes/join-tokens').set(bearer('admin'))).status).toBe(201);
    expect(m.queries.calls.at(-1)?.envelope.params).toEqual({});
    expect(await audited(m, { action: 'node.join-token', status: 201 })).toBeDefined();
    expect(paths(await m.http.post('/v1/nodes/join-tokens').set(bearer('admin')).send({ ttlSeconds: 0 }))).toEqual(['ttlSeconds']);
  });
});
