import { audited, bearer, INTERNAL_TOKEN, moduleUnderTest } from '../testing/module.testing';
import type { ModuleUnderTest } from '../testing/module.testing';
import { AuthModule } from './auth.module';

let m: ModuleUnderTest;
beforeAll(async () => { m = await moduleUnderTest(AuthModule); });
afterAll(async () => { await m?.app.close(); });

describe('AuthModule over HTTP', () => {
  it('401 without a token, with a malformed header or an unknown token', async () => {
    for (const auth of [undefined, 'Basic abc', 'Bearer nope']) {
      const req = m.http.get('/v1/whoami');
      const r = await (auth ? req.set('authorization', auth) : req);
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({ title: 'Unauthorized', status: 401 });
    }
  });

  it('whoami for every role', async () => {
    for (const role of ['viewer', 'operator', 'approver', 'admin'] as const) {
      expect((await m.http.get('/v1/whoami').set(bearer(role))).body).toEqual({ subject: `user:${role}`, groups: ['team'], roles: [role] });
    }
  });

  it('tokens are admin only: 403 for the other roles', async () => {
    for (const role of ['viewer', 'operator', 'approver'] as const) {
      expect((await m.http.get('/v1/tokens').set(bearer(role))).status).toBe(403);
      expect((await m.http.post('/v1/tokens').set(bearer(role)).send({ name: 'x', subject: 'user:x', roles: ['viewer'] })).status).toBe(403);
    }
    expect(m.tokens.create).not.toHaveBeenCalled();
  });

  it('token creation: 422 naming each bad field, 400 for a non-object, 201 with the secret once', async () => {
    const bad = await m.http.post('/v1/tokens').set(bearer('admin')).send({ name: '', subject: 'alice', roles: ['root'], ttlSeconds: 5 });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['name', 'roles.0', 'subject', 'ttlSeconds']);
    expect((await m.http.post('/v1/tokens').set(bearer('admin')).set('content-type', 'application/json').send('"token"')).status).toBe(400);
    const ok = await m.http.post('/v1/tokens').set(bearer('admin')).send({ name: 'ci', subject: 'user:alice', roles: ['viewer'] });
    expect(ok.status).toBe(201);
    expect(ok.body).toEqual({ id: 'tok_new', token: 'bsn_new', expiresAt: null });
    expect(m.tokens.create).toHaveBeenCalledWith({ name: 'ci', subject: 'user:alice', groups: [], roles: ['viewer'], createdBy: 'user:admin' });
    expect(await audited(m, { action: 'token.create', outcome: 'accepted', target: { kind: 'Token', name: 'tok_new' } })).toBeDefined();
  });

  it('revoking an unknown token is 404, a known one 204', async () => {
    expect((await m.http.delete('/v1/tokens/tok_missing').set(bearer('admin'))).status).toBe(404);
    expect((await m.http.delete('/v1/tokens/tok_known').set(bearer('admin'))).status).toBe(204);
  });

  it('chatops\' internal token runs as the linked chat user, never as chatops', async () => {
    const chat = (user?: string) => {
      const r = m.http.get('/v1/whoami').set('authorization', `Bearer ${INTERNAL_TOKEN}`).set('x-bosun-chat-platform', 'slack');
      return user ? r.set('x-bosun-chat-user', user) : r;
    };
    expect((await chat()).status).toBe(400);
    const unlinked = await chat('U999');
    expect(unlinked.status).toBe(403);
    expect(unlinked.body).toMatchObject({ code: 'ChatIdentityNotLinked' });
    m.identities.linked.set('slack/U1', { subject: 'user:carol', groups: ['sre'], roles: ['operator'] });
    expect((await chat('U1')).body).toEqual({ subject: 'user:carol', groups: ['sre'], roles: ['operator'] });
  });
});
