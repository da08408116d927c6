import { bearer, moduleUnderTest } from '../testing/module.testing';
import type { ModuleUnderTest } from '../testing/module.testing';
import { IdentitiesModule } from './identities.module';

let m: ModuleUnderTest;
beforeAll(async () => { m = await moduleUnderTest(IdentitiesModule); });
afterAll(async () => { await m?.app.close(); });

describe('IdentitiesModule over HTTP', () => {
  it('linking is admin only', async () => {
    expect((await m.http.put('/v1/chat-identities/slack/U1').set(bearer('operator')).send({ subject: 'user:carol' })).status).toBe(403);
    expect(m.identities.link).not.toHaveBeenCalled();
  });

  it('422 names the bad platform, user id or body field', async () => {
    expect((await m.http.put('/v1/chat-identities/irc/U1').set(bearer('admin')).send({ subject: 'user:carol' })).body.errors).toEqual([{ path: 'platform', message: 'must be one of slack, webhook' }]);
    expect((await m.http.put('/v1/chat-identities/slack/has%20space').set(bearer('admin')).send({ subject: 'user:carol' })).body.errors).toEqual([{ path: 'userId', message: expect.any(String) }]);
    const bad = await m.http.put('/v1/chat-identities/slack/U1').set(bearer('admin')).send({ subject: 'carol', roles: ['root'] });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['roles.0', 'subject']);
  });

  it('links with defaults, reads back, 404 for an unknown user', async () => {
    const r = await m.http.put('/v1/chat-identities/slack/U1').set(bearer('admin')).send({ subject: 'user:carol' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ platform: 'slack', userId: 'U1', subject: 'user:carol', groups: [], roles: ['operator'] });
    expect((await m.http.get('/v1/chat-identities/slack/U1').set(bearer('admin'))).body).toEqual({ subject: 'user:carol', groups: [], roles: ['operator'] });
    expect((await m.http.get('/v1/chat-identities/slack/U2').set(bearer('admin'))).status).toBe(404);
  });
});
