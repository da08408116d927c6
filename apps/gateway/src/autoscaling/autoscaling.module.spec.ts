import { AUTOSCALER_QUERIES, querySubject } from '@bosun/contracts';
import { audited, bearer, moduleUnderTest } from '../testing/module.testing';
import type { ModuleUnderTest } from '../testing/module.testing';
import { OperationsService } from '../operations/operations.service';
import { AutoscalingModule } from './autoscaling.module';

const operations = { submit: jest.fn() };
const q = (name: string): string => querySubject('autoscaler', name);
const paths = (r: { body: { errors: { path: string }[] } }): string[] => r.body.errors.map((e) => e.path).sort();
let m: ModuleUnderTest;
beforeAll(async () => { m = await moduleUnderTest(AutoscalingModule, (b) => b.overrideProvider(OperationsService).useValue(operations)); });
afterAll(async () => { await m?.app.close(); });
beforeEach(() => { m.queries.calls.length = 0; });

const ID = 'as-0123456789';
const cpu = { name: 'cpu', type: 'Resource', resource: 'cpu', target: { type: 'Utilization', value: 60 } };
const create = { target: { kind: 'Deployment', namespace: 'team-a', name: 'web' }, minReplicas: 2, maxReplicas: 10, metrics: [cpu] };
const view = { id: ID, cluster: 'default', createdBy: 'user:operator', createdAt: 't', intervalSeconds: 15, target: create.target, mode: 'managed', minReplicas: 2, maxReplicas: 10, currentReplicas: 2, desiredReplicas: 2, metrics: [], conditions: [] };
const recommendation = { currentReplicas: 2, maxReplicas: 10, metrics: [{ ...cpu, pods: [{ name: 'web-1', value: 90 }, { name: 'web-2', value: 90 }] }] };

describe('AutoscalingModule over HTTP (fakes of our own ports)', () => {
  it('roles: 401 anonymous; create and delete need operator; calculators, reads and simulate a viewer', async () => {
    expect((await m.http.post('/v1/autoscaling/recommendation').send(recommendation)).status).toBe(401);
    const c = await m.http.post('/v1/autoscalers').set(bearer('viewer')).send(create);
    expect(c.status).toBe(403);
    expect(c.body.detail).toBe('user:viewer needs the operator role for this request (has: viewer)');
    expect((await m.http.delete(`/v1/autoscalers/${ID}`).set(bearer('viewer'))).status).toBe(403);
    expect(m.queries.calls).toEqual([]);
    expect(operations.submit).not.toHaveBeenCalled();
  });

  it('recommendation and proportional: 200 with the service\'s value, the body passed through', async () => {
    const value = { desiredReplicas: 3, recommendation: 3, perMetric: [{ name: 'cpu', proposal: 3 }], conditions: {}, explanation: '90% of 60% → 3' };
    m.queries.answer(q(AUTOSCALER_QUERIES.recommendation), { ok: true, value });
    const r = await m.http.post('/v1/autoscaling/recommendation?cluster=edge').set(bearer('viewer')).send(recommendation);
    expect(r.status).toBe(200);
    expect(r.body).toEqual(value);
    expect(m.queries.calls[0]).toMatchObject({ subject: q(AUTOSCALER_QUERIES.recommendation), envelope: { cluster: 'edge', params: recommendation, actor: { subject: 'user:viewer' } } });
    m.queries.answer(q(AUTOSCALER_QUERIES.proportional), { ok: true, value: { replicas: 4 } });
    const p = await m.http.post('/v1/autoscaling/proportional').set(bearer('viewer')).send({ nodes: 4, cores: 16, linear: { coresPerReplica: 4 } });
    expect([p.status, p.body]).toEqual([200, { replicas: 4 }]);
    expect(await audited(m, { action: 'autoscaling.proportional', status: 200 })).toBeDefined();
  });

  it('bad bodies are 422 naming each field (the contract\'s cross-field rules included), before the service is asked', async () => {
    const r = await m.http.post('/v1/autoscaling/recommendation').set(bearer('viewer')).send({ currentReplicas: -1, minReplicas: 5, maxReplicas: 3, metrics: [{ name: 'cpu', type: 'Pods', target: { type: 'Utilization', value: 50 } }] });
    expect(r.status).toBe(422);
    expect(paths(r)).toEqual(['currentReplicas', 'metrics.0.target.type', 'minReplicas']);
    const p = await m.http.post('/v1/autoscaling/proportional').set(bearer('viewer')).send({ nodes: 1.5, cores: 2, linear: {}, ladder: {} });
    expect(paths(p)).toEqual(['linear.coresPerReplica', 'nodes']);
    expect(paths(await m.http.post('/v1/autoscaling/proportional').set(bearer('viewer')).send({ nodes: 1, cores: 2, linear: { coresPerReplica: 2 }, ladder: {} }))).toEqual(['ladder']);
    const native = await m.http.post('/v1/autoscalers').set(bearer('operator')).send({ ...create, mode: 'native', metrics: [cpu, { name: 'jobs', type: 'Queue', queue: { kind: 'bullmq', name: 'jobs' }, target: { type: 'AverageValue', value: 10 } }] });
    expect(native.status).toBe(422);
    expect(paths(native)).toEqual(['metrics.1.type']);
    expect(m.queries.calls).toEqual([]);
  });

  it('create: 201 with the autoscaler; the service\'s Invalid (exact quantities), NotFound and Conflict map to HTTP', async () => {
    m.queries.answer(q(AUTOSCALER_QUERIES.create), { ok: true, value: view });
    const r = await m.http.post('/v1/autoscalers').set(bearer('operator')).send(create);
    expect(r.status).toBe(201);
    expect(r.body).toEqual(view);
    // The contract's defaults are applied before the service sees the body.
    expect(m.queries.calls[0].envelope.params).toEqual({ ...create, intervalSeconds: 15, mode: 'managed' });
    expect(await audited(m, { action: 'autoscaler.create', target: { cluster: 'default', kind: 'Deployment', namespace: 'team-a', name: 'web' }, status: 201 })).toBeDefined();
    m.queries.answer(q(AUTOSCALER_QUERIES.create), { ok: false, error: { code: 'Invalid', message: 'bad target', fieldErrors: [{ path: 'metrics.0.target.value', message: 'must be greater than 0' }] } });
    expect((await m.http.post('/v1/autoscalers').set(bearer('operator')).send(create)).body).toMatchObject({ status: 422, errors: [{ path: 'metrics.0.target.value', message: 'must be greater than 0' }] });
    m.queries.answer(q(AUTOSCALER_QUERIES.create), { ok: false, error: { code: 'NotFound', message: 'deployments.apps "web" not found' } });
    expect((await m.http.post('/v1/autoscalers').set(bearer('operator')).send(create)).status).toBe(404);
    m.queries.answer(q(AUTOSCALER_QUERIES.create), { ok: false, error: { code: 'Conflict', message: 'team-a/web is already managed by as-aaaaaaaaaa' } });
    expect((await m.http.post('/v1/autoscalers').set(bearer('operator')).send(create)).body).toMatchObject({ status: 409, code: 'Conflict', detail: 'team-a/web is already managed by as-aaaaaaaaaa' });
  });

  it('list, get, delete and decisions pass their params; a bad id or limit is 422; NotFound is 404', async () => {
    m.queries.answer(q(AUTOSCALER_QUERIES.list), { ok: true, value: { items: [view] } });
    expect((await m.http.get('/v1/autoscalers?namespace=team-a').set(bearer('viewer'))).body).toEqual({ items: [view] });
    expect(m.queries.calls.at(-1)?.envelope.params).toEqual({ namespace: 'team-a' });
    m.queries.answer(q(AUTOSCALER_QUERIES.get), (env) => ((env.params as { id: string }).id === ID
      ? { ok: true, value: view }
      : { ok: false, error: { code: 'NotFound', message: 'no autoscaler as-9999999999' } }));
    expect((await m.http.get(`/v1/autoscalers/${ID}`).set(bearer('viewer'))).body).toEqual(view);
    expect((await m.http.get('/v1/autoscalers/as-9999999999').set(bearer('viewer'))).body).toMatchObject({ status: 404, code: 'NotFound' });
    const bad = await m.http.get('/v1/autoscalers/web').set(bearer('viewer'));
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([{ path: 'id', message: 'id must look like as-0123456789' }]);
    m.queries.answer(q(AUTOSCALER_QUERIES.delete), { ok: true, value: { id: ID, deleted: true } });
    const del = await m.http.delete(`/v1/autoscalers/${ID}`).set(bearer('operator'));
    expect([del.status, del.body]).toEqual([200, { id: ID, deleted: true }]);
    expect(await audited(m, { action: 'autoscaler.delete', target: { cluster: 'default', kind: 'Autoscaler', name: ID }, status: 200 })).toBeDefined();
    m.queries.answer(q(AUTOSCALER_QUERIES.decisions), { ok: true, value: { items: [] } });
    expect((await m.http.get(`/v1/autoscalers/${ID}/decisions?limit=5`).set(bearer('viewer'))).body).toEqual({ items: [] });
    expect(m.queries.calls.at(-1)?.envelope.params).toEqual({ id: ID, limit: 5 });
    await m.http.get(`/v1/autoscalers/${ID}/decisions`).set(bearer('viewer'));
    expect(m.queries.calls.at(-1)?.envelope.params).toEqual({ id: ID, limit: 50 });
    expect((await m.http.get(`/v1/autoscalers/${ID}/decisions?limit=0`).set(bearer('viewer'))).body.errors).toEqual([{ path: 'query.limit', message: 'limit must be between 1 and 500' }]);
  });

  it('simulate: 200, the path id beside the overrides; no body replays as configured; min > max is 422', async () => {
    m.queries.answer(q(AUTOSCALER_QUERIES.simulate), { ok: true, value: { items: [{ at: 't', actual: 4, simulated: 3 }] } });
    const r = await m.http.post(`/v1/autoscalers/${ID}/simulate`).set(bearer('viewer')).send({ tolerance: 0.2, maxReplicas: 3 });
    expect([r.status, r.body]).toEqual([200, { items: [{ at: 't', actual: 4, simulated: 3 }] }]);
    expect(m.queries.calls.at(-1)?.envelope.params).toEqual({ id: ID, tolerance: 0.2, maxReplicas: 3 });
    expect((await m.http.post(`/v1/autoscalers/${ID}/simulate`).set(bearer('viewer'))).status).toBe(200);
    expect(m.queries.calls.at(-1)?.envelope.params).toEqual({ id: ID });
    expect(paths(await m.http.post(`/v1/autoscalers/${ID}/simulate`).set(bearer('viewer')).send({ minReplicas: 5, maxReplicas: 2 }))).toEqual(['minReplicas']);
  });
});
