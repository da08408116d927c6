import { PROVISIONER_QUERIES, querySubject } from '@bosun/contracts';
import { audited, bearer, FakeOperations, moduleUnderTest } from '../testing/module.testing';
import type { ModuleUnderTest } from '../testing/module.testing';
import { OperationsService } from '../operations/operations.service';
import { TenantsModule } from './tenants.module';

const operations = new FakeOperations('op_tn');
const { submitted } = operations;
const q = (name: string): string => querySubject('provisioner', name);
const paths = (r: { body: { errors: { path: string }[] } }): string[] => r.body.errors.map((e) => e.path).sort();
let m: ModuleUnderTest;
beforeAll(async () => { m = await moduleUnderTest(TenantsModule, (b) => b.overrideProvider(OperationsService).useValue(operations)); });
afterAll(async () => { await m?.app.close(); });
beforeEach(() => { submitted.length = 0; m.queries.calls.length = 0; });

const tenant = { name: 'team-a', quota: { cpu: '4', memory: '8Gi', pods: 20 }, members: [{ subject: 'user:alice', role: 'edit' }] };
const view = { name: 'team-a', phase: 'Active', quota: { hard: { 'requests.cpu': '4' }, used: { 'requests.cpu': '0' }, headroom: { 'requests.cpu': '4' } } };

describe('TenantsModule over HTTP (fakes of our own ports)', () => {
  it('roles: 401 anonymous; create, delete and credentials are admin; reads viewer', async () => {
    expect((await m.http.get('/v1/tenants')).status).toBe(401);
    const op = await m.http.post('/v1/tenants').set(bearer('operator')).send(tenant);
    expect(op.status).toBe(403);
    expect(op.body.detail).toBe('user:operator needs the admin role for this request (has: operator)');
    expect((await m.http.delete('/v1/tenants/team-a').set(bearer('operator'))).status).toBe(403);
    expect((await m.http.post('/v1/tenants/team-a/credentials').set(bearer('approver')).send({ ttlSeconds: 3600 })).status).toBe(403);
    expect(submitted).toEqual([]);
    expect(m.queries.calls).toEqual([]);
  });

  it('create: 202 + Location, kind tenant.create to the provisioner, target the Namespace, the body as payload', async () => {
    const r = await m.http.post('/v1/tenants?cluster=edge').set(bearer('admin')).send(tenant);
    expect(r.status).toBe(202);
    expect(r.headers.location).toBe('/v1/operations/op_tn');
    expect(submitted[0]).toMatchObject({
      kind: 'tenant.create', service: 'provisioner', action: 'tenant-create', target: { cluster: 'edge', kind: 'Namespace', name: 'team-a' }, payload: tenant,
      actor: { subject: 'user:admin' },
    });
    expect(submitted[0].target.namespace).toBeUndefined();
    // Asked first, so a request the provisioner would refuse is a 422 before anything is queued.
    expect(m.queries.calls.map((c) => [c.subject, c.envelope.params])).toEqual([['bosun.qry.provisioner.validate.v1', { kind: 'tenant.create', action: 'tenant-create', payload: tenant }]]);
    expect(await audited(m, { action: 'tenant.create', operationId: 'op_tn', status: 202 })).toBeDefined();
  });

  it('create: 422 naming each bad field (name, quantities, member subject and role, unknown fields)', async () => {
    const r = await m.http.post('/v1/tenants').set(bearer('admin')).send({ name: 'Team A', quota: { cpu: 'lots', gpus: 1 }, members: [{ subject: 'alice', role: 'owner' }] });
    expect(r.status).toBe(422);
    expect(paths(r)).toEqual(['members.0.role', 'members.0.subject', 'name', 'quota', 'quota.cpu']);
    expect(submitted).toEqual([]);
  });

  it('delete: an operation on the Namespace; a bad name is 422', async () => {
    const r = await m.http.delete('/v1/tenants/team-a').set(bearer('admin'));
    expect(r.status).toBe(202);
    expect(submitted[0]).toMatchObject({ kind: 'tenant.delete', action: 'tenant-delete', target: { kind: 'Namespace', name: 'team-a' }, payload: { name: 'team-a' } });
    const bad = await m.http.delete('/v1/tenants/Team_A').set(bearer('admin'));
    expect(bad.status).toBe(422);
    expect(paths(bad)).toEqual(['name']);
  });

  it('reads: list as {items}, one tenant by name; NotFound is 404', async () => {
    m.queries.answer(q(PROVISIONER_QUERIES.tenantsList), { ok: true, value: [view] });
    expect((await m.http.get('/v1/tenants').set(bearer('viewer'))).body).toEqual({ items: [view] });
    m.queries.answer(q(PROVISIONER_QUERIES.tenantsGet), (env) => ((env.params as { name: string }).name === 'team-a'
      ? { ok: true, value: view }
      : { ok: false, error: { code: 'NotFound', message: 'team-b is not a Bosun tenant' } }));
    const one = await m.http.get('/v1/tenants/team-a').set(bearer('viewer'));
    expect(one.body).toEqual(view);
    expect(m.queries.calls.at(-1)?.envelope.params).toEqual({ name: 'team-a' });
    expect((await m.http.get('/v1/tenants/team-b').set(bearer('viewer'))).body).toMatchObject({ status: 404, code: 'NotFound', detail: 'team-b is not a Bosun tenant' });
    expect(paths(await m.http.get('/v1/tenants/-x').set(bearer('viewer')))).toEqual(['name']);
  });

  it('credentials: 201 with the kubeconfig; name, ttl and role passed through; a short ttl is 422', async () => {
    m.queries.answer(q(PROVISIONER_QUERIES.credentials), { ok: true, value: { kubeconfig: 'apiVersion: v1', expiresAt: '2026-12-02T00:00:00Z' } });
    const r = await m.http.post('/v1/tenants/team-a/credentials').set(bearer('admin')).send({ ttlSeconds: 3600, role: 'view' });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ kubeconfig: 'apiVersion: v1', expiresAt: '2026-12-02T00:00:00Z' });
    expect(m.queries.calls.at(-1)).toMatchObject({ subject: q(PROVISIONER_QUERIES.credentials), envelope: { params: { name: 'team-a', ttlSeconds: 3600, role: 'view' } } });
    expect(await audited(m, { action: 'tenant.credentials', status: 201 })).toBeDefined();
    const bad = await m.http.post('/v1/tenants/team-a/credentials').set(bearer('admin')).send({ ttlSeconds: 60, role: 'root' });
    expect(bad.status).toBe(422);
    expect(paths(bad)).toEqual(['role', 'ttlSeconds']);
    m.queries.answer(q(PROVISIONER_QUERIES.credentials), { ok: false, error: { code: 'Forbidden', message: 'serviceaccounts "bosun-edit" is forbidden' } });
    expect((await m.http.post('/v1/tenants/team-a/credentials').set(bearer('admin')).send({ ttlSeconds: 3600 })).body).toMatchObject({ status: 403, code: 'Forbidden' });
  });
});
