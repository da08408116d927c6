import { audited, bearer, INTERNAL_TOKEN, moduleUnderTest } from '../testing/module.testing';
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

  const chat = (platform: string, user: string): Record<string, string> => ({ authorization: `Bearer ${INTERNAL_TOKEN}`, 'x-bosun-chat-platform': platform, 'x-bosun-chat-user': user });

  it('a chat user who is not linked is audited as chat:<platform>:<user> via chat, whatever refused them', async () => {
    const r = await m.http.post('/v1/audit/chat-events').set(chat('slack', 'U404')).send({ type: 'response-url.refused', reason: 'x' });
    expect([r.status, r.body.code]).toEqual([403, 'ChatIdentityNotLinked']);
    expect(await audited(m, { subject: 'chat:slack:U404', via: 'chat', action: 'chat.response-url.refused', outcome: 'refused', status: 403 })).toBeDefined();
    await m.http.post('/v1/nowhere').set(chat('webhook', 'mm-bob')).send({});
    expect(await audited(m, { subject: 'chat:webhook:mm-bob', via: 'chat', action: 'POST /v1/nowhere', outcome: 'refused', status: 404 })).toBeDefined();
  });

  it('a linked chat user refused before the guard ran is audited as the linked subject, via chat', async () => {
    m.identities.linked.set('slack/U1', { subject: 'user:carol', groups: [], roles: ['operator'] });
    await m.http.post('/v1/audit/chat-events').set(chat('slack', 'U1')).set('content-type', 'application/json').send('{oops');
    expect(await audited(m, { subject: 'user:carol', via: 'chat', action: 'POST /v1/audit/chat-events', outcome: 'refused', status: 400 })).toBeDefined();
  });

  it('chatops records a refused response URL as the linked subject, via chat, with the reason and never the URL', async () => {
    m.identities.linked.set('slack/U2', { subject: 'user:dave', groups: [], roles: ['viewer'] });
    const r = await m.http.post('/v1/audit/chat-events').set(chat('slack', 'U2')).send({ type: 'response-url.refused', reason: 'http://169.254.169.254 is not on the response URL allow-list', verb: 'deploy' });
    expect(r.status).toBe(204);
    expect(await audited(m, {
      subject: 'user:dave', via: 'chat', action: 'chat.response-url.refused', outcome: 'refused', status: 204,
      target: { kind: 'ResponseUrl', reason: 'http://169.254.169.254 is not on the response URL allow-list', verb: 'deploy' },
    })).toBeDefined();
  });

  it('only chatops records chat events; the body is checked', async () => {
    const admin = await m.http.post('/v1/audit/chat-events').set(bearer('admin')).send({ type: 'response-url.refused', reason: 'made up' });
    expect([admin.status, admin.body.detail]).toEqual([403, expect.stringContaining('only chatops')]);
    expect(await audited(m, { subject: 'user:admin', via: 'api', action: 'chat.response-url.refused', outcome: 'refused', status: 403 })).toBeDefined();
    m.identities.linked.set('slack/U3', { subject: 'user:erin', groups: [], roles: ['viewer'] });
    const bad = await m.http.post('/v1/audit/chat-events').set(chat('slack', 'U3')).send({ type: 'anything', reason: '', url: 'https://x' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['(body)', 'reason', 'type']);
  });
});
