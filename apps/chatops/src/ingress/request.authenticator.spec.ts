import { signSlack, signWebhook, type ReplayGuard } from '@bosun/chatops-domain';
import { silentLogger, testConfig } from '../testing/fakes';
import { RequestAuthenticator, type SignedRequest } from './request.authenticator';

class MemoryGuard implements ReplayGuard {
  readonly keys = new Map<string, number>();
  failing = false;
  async claim(key: string, ttl: number): Promise<boolean> {
    if (this.failing) throw new Error('connection is closed');
    if (this.keys.has(key)) return false;
    this.keys.set(key, ttl);
    return true;
  }
}

const NOW = Date.parse('2026-11-21T10:00:00Z');
const config = testConfig();
const request = (body: string, headers: Record<string, string>): SignedRequest => ({
  rawBody: Buffer.from(body), header: (n) => headers[n.toLowerCase()],
});
const slackRequest = (body: string, ts = NOW / 1000, secret = config.slackSigningSecret!) =>
  request(body, { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signSlack({ signingSecret: secret, timestamp: ts, rawBody: body }) });

describe('RequestAuthenticator', () => {
  let guard: MemoryGuard;
  let auth: RequestAuthenticator;
  beforeEach(() => {
    guard = new MemoryGuard();
    auth = new RequestAuthenticator(config, guard, silentLogger, () => NOW);
  });

  it('admits a correctly signed Slack request once, then refuses its replay', async () => {
    const req = slackRequest('text=help&user_id=U1');
    expect(await auth.slack(req)).toEqual({ ok: true });
    expect(await auth.slack(req)).toMatchObject({ ok: false, status: 401, error: 'replayed' });
    expect([...guard.keys.values()][0]).toBeGreaterThanOrEqual(300);
  });

  it.each([
    ['a wrong secret', slackRequest('text=help', NOW / 1000, 'another-secret-0123456789'), 'signature_bad_signature'],
    ['a stale timestamp', slackRequest('text=help', NOW / 1000 - 301), 'signature_stale'],
    ['a future timestamp', slackRequest('text=help', NOW / 1000 + 301), 'signature_future'],
    ['no headers', request('text=help', {}), 'signature_missing_headers'],
  ])('refuses %s with 401', async (_what, req, error) => {
    expect(await auth.slack(req)).toMatchObject({ ok: false, status: 401, error });
    expect(guard.keys.size).toBe(0);
  });

  it('refuses a body altered after signing', async () => {
    const signed = slackRequest('text=status+a%2Fb');
    const altered = { ...signed, rawBody: Buffer.from('text=deploy+a%2Fb+evil:1') };
    expect(await auth.slack(altered)).toMatchObject({ ok: false, status: 401, error: 'signature_bad_signature' });
  });

  it('verifies webhooks with their own secret and scheme', async () => {
    const body = '{"user":"u1","text":"help"}';
    const ok = request(body, { 'x-bosun-timestamp': String(NOW / 1000), 'x-bosun-signature': signWebhook({ secret: config.webhookSecret!, timestamp: NOW / 1000, rawBody: body }) });
    expect(await auth.webhook(ok)).toEqual({ ok: true });
    const slackSigned = request(body, { 'x-bosun-timestamp': String(NOW / 1000), 'x-bosun-signature': signWebhook({ secret: config.slackSigningSecret!, timestamp: NOW / 1000, rawBody: body }) });
    expect(await auth.webhook(slackSigned)).toMatchObject({ ok: false, status: 401 });
  });

  it('fails closed with 503 when the replay store is down', async () => {
    guard.failing = true;
    expect(await auth.slack(slackRequest('text=help'))).toMatchObject({ ok: false, status: 503, error: 'replay_store_unavailable' });
  });

  it('refuses everything when no secret is configured', async () => {
    const bare = new RequestAuthenticator({ ...config, webhookSecret: undefined }, guard, silentLogger, () => NOW);
    const body = '{}';
    const req = request(body, { 'x-bosun-timestamp': String(NOW / 1000), 'x-bosun-signature': signWebhook({ secret: '', timestamp: NOW / 1000, rawBody: body }) });
    expect(await bare.webhook(req)).toMatchObject({ ok: false, status: 401 });
  });
});
