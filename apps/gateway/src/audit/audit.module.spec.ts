import { audited, bearer, moduleUnderTest } from '../testing/module.testing';
import type { ModuleUnderTest } from '../testing/module.testing';
import { AuditModule } from './audit.module';

let m: ModuleUnderTest;
beforeAll(async () => { m = await moduleUnderTest(AuditModule); });
afterAll(async () => { await m?.app.close(); });

describe('AuditModule over HTTP', () => {
  it('reading the trail is admin only; filters are typed, bad ones 422 naming query.<field>', async () => {
    expect((await m.http.get('/v1/audit').set(bearer('operator'))).status).toBe(403);
    expect((await m.http.get('/v1/audit?subject=user:alice&action=deployment.*&limit=10').set(bearer('admin'))).body).toEqual({ items: [] });
    expect(m.audit.query).toHaveBeenCalledWith({ subject: 'user:alice', action: 'deployment.*', limit: 10 });
    const bad = await m.http.get('/v1/audit?since=yesterday&limit=5000').set(bearer('admin'));
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['query.limit', 'query.since']);
  });

  it('records refused mutating requests too, naming the caller when the token is known', async () => {
    await m.http.post('/v1/nowhere').send({});
    expect(await audited(m, { subject: 'anonymous', action: 'POST /v1/nowhere', outcome: 'refused', status: 404 })).toBeDefined();
    await m.http.post('/v1/deployments').set(bearer('viewer')).set('content-type', 'application/json').send('{oops');
    expect(await audited(m, { subject: 'user:viewer', action: 'deployment.deploy', outcome: 'refused', status: 400 })).toBeDefined();
  });
});
