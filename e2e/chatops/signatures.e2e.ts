import { createHmac } from 'node:crypto';
import { signWebhook } from '@bosun/chatops-domain';
import { uniqueName } from '@bosun/testing';
import { ChatStack, slackUser } from './support/chat.stack';

// Signatures exactly as API.md → Chat says, over the raw body, against the running app.
jest.setTimeout(60_000);

describe('chatops: request signatures and replays (real chatops, gateway, Redis)', () => {
  let stack: ChatStack;
  const user = slackUser();
  const ns = uniqueName('e2e-sig');

  beforeAll(async () => {
    stack = await ChatStack.start();
    await stack.link('slack', user, { subject: `user:${uniqueName('sig')}`, groups: ['system:masters'] });
    await stack.link('webhook', user, { subject: `user:${uniqueName('sig')}`, groups: ['system:masters'] });
  });
  afterAll(async () => stack?.close());

  const deployText = (name: string) => `deploy ${ns}/${name} nginx:1.27`;
  const nothingRan = async (name: string) => expect(await stack.operationsOn(ns, name)).toEqual([]);

  it('a correctly signed slash command is answered', async () => {
    const r = await stack.slash(user, 'help');
    expect(r.status).toBe(200);
    expect(r.body.text).toMatch(/Commands:/);
  });

  describe.each([
    ['a made-up signature', { signature: `v0=${'0'.repeat(64)}` }, 'signature_bad_signature'],
    ['the wrong secret', { secret: 'some-other-signing-secret-0123' }, 'signature_bad_signature'],
    ['a stale timestamp (301 s old)', () => ({ timestamp: Math.floor(Date.now() / 1000) - 301 }), 'signature_stale'],
    ['a future timestamp (302 s ahead)', () => ({ timestamp: Math.floor(Date.now() / 1000) + 302 }), 'signature_future'],
    ['a body altered after signing', { tamper: (b: string) => b.replace('nginx%3A1.27', 'evil%3A6.66') }, 'signature_bad_signature'],
    ['a malformed signature header', { signature: 'sha256=abc' }, 'signature_malformed'],
  ])('slash command with %s', (_what, sign, error) => {
    it('is refused with 401 and nothing runs', async () => {
      const name = uniqueName('web');
      const r = await stack.slash(user, deployText(name), typeof sign === 'function' ? sign() : sign);
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({ error });
      await nothingRan(name);
    });
  });

  it('a replayed slash command is refused: the first runs, the identical second does not', async () => {
    const name = uniqueName('web');
    const ts = Math.floor(Date.now() / 1000);
    const same = { timestamp: ts, triggerId: '13345224609.738474920.8088930838d88f008e0' };
    const first = await stack.slash(user, deployText(name), same);
    expect(first.status).toBe(200);
    const replay = await stack.slash(user, deployText(name), same);
    expect(replay.status).toBe(401);
    expect(replay.body).toMatchObject({ error: 'replayed' });
    expect(await stack.operationsOn(ns, name)).toHaveLength(1);
  });

  it('a replay with a re-spelled signature (upper-case hex) is still a replay', async () => {
    const ts = Math.floor(Date.now() / 1000);
    const body = new URLSearchParams({ user_id: user, text: 'help', command: '/bosun' }).toString();
    const { signSlack } = await import('@bosun/chatops-domain');
    const sig = signSlack({ signingSecret: stack.slackSecret, timestamp: ts, rawBody: body });
    expect((await stack.slackPost('/slack/commands', body, { timestamp: ts, signature: sig })).status).toBe(200);
    const again = await stack.slackPost('/slack/commands', body, { timestamp: ts, signature: `v0=${sig.slice(3).toUpperCase()}` });
    expect(again.status).toBe(401);
  });

  it('button presses are signed the same way', async () => {
    const r = await stack.press(user, 'bosun_approve', 'op_x', 'http://127.0.0.1:9/x', { secret: 'some-other-signing-secret-0123' });
    expect(r.status).toBe(401);
  });

  describe('the generic webhook', () => {
    it('accepts its own signature and answers like Slack', async () => {
      const r = await stack.webhook({ user, channel: 'ops', text: 'help' });
      expect(r.status).toBe(200);
      expect(r.body.text).toMatch(/Commands:/);
    });

    it.each([
      ['the Slack secret', { secret: 'e2e-chat-slack-signing-secret-0123456789' }, 'signature_bad_signature'],
      ['a stale timestamp', () => ({ timestamp: Math.floor(Date.now() / 1000) - 301 }), 'signature_stale'],
      ['a future timestamp', () => ({ timestamp: Math.floor(Date.now() / 1000) + 302 }), 'signature_future'],
      ['an altered body', { tamper: (b: string) => b.replace('nginx:1.27', 'evil:6.66') }, 'signature_bad_signature'],
    ])('refuses %s with 401 and nothing runs', async (_what, sign, error) => {
      const name = uniqueName('web');
      const r = await stack.webhook({ user, text: deployText(name) }, typeof sign === 'function' ? sign() : sign);
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({ error });
      await nothingRan(name);
    });

    it('a captured request is refused, again as it was (replayed) and re-dated (the signature covers the timestamp)', async () => {
      const name = uniqueName('web');
      const message = { user, text: deployText(name) };
      const ts = Math.floor(Date.now() / 1000);
      const signature = signWebhook({ secret: stack.webhookSecret, timestamp: ts, rawBody: JSON.stringify(message) });
      expect((await stack.webhook(message, { timestamp: ts, signature })).status).toBe(200);
      const again = await stack.webhook(message, { timestamp: ts, signature });
      expect(again.status).toBe(401);
      expect(again.body).toMatchObject({ error: 'replayed' });
      const redated = await stack.webhook(message, { timestamp: ts + 5, signature });
      expect(redated.status).toBe(401);
      expect(redated.body).toMatchObject({ error: 'signature_bad_signature' });
      expect(await stack.operationsOn(ns, name)).toHaveLength(1);
    });

    it('refuses the earlier body-only sha256= signature with 401, naming the v1 scheme', async () => {
      const name = uniqueName('web');
      const message = { user, text: deployText(name) };
      const old = `sha256=${createHmac('sha256', stack.webhookSecret).update(JSON.stringify(message)).digest('hex')}`;
      const r = await stack.webhook(message, { signature: old });
      expect(r.status).toBe(401);
      expect(JSON.stringify(r.body)).toMatch(/v1=/);
      await nothingRan(name);
    });
  });

  it('a correctly signed but unreadable body is a 400, not a crash', async () => {
    const r = await stack.webhook({ text: 'help', nonce: uniqueName('n') });
    expect(r.status).toBe(400);
    expect(r.body.text).toMatch(/user is missing/);
    const form = await stack.slackPost('/slack/commands', `text=help&nonce=${uniqueName('n')}`);
    expect(form.status).toBe(400);
  });
});
