import type { Operation } from '@bosun/contracts';
import { eventually, uniqueName } from '@bosun/testing';
import { ChatStack, slackUser } from './support/chat.stack';
import { readable, Receiver } from './support/receiver';
import { closedPort, SlowProxy } from './support/slow-proxy';

// Commands from chat, end to end: real gateway and chatops in this process, real NATS and
// Redis; no deployer here, so operations stay queued (rollout.e2e.ts runs them).
jest.setTimeout(60_000);
const opId = (text: string): string => {
  const m = /op_[0-9a-f]{6,}/.exec(text);
  if (!m) throw new Error(`no operation id in ${JSON.stringify(text)}`);
  return m[0];
};

describe('chatops: commands end to end', () => {
  let stack: ChatStack;
  let receiver: Receiver;
  const ns = uniqueName('e2e-chat');
  const alice = slackUser('UA');
  const aliceSubject = `user:${uniqueName('alice')}`;
  const created: string[] = [];

  beforeAll(async () => {
    receiver = await Receiver.start();
    stack = await ChatStack.start();
    await stack.link('slack', alice, { subject: aliceSubject, groups: ['team-a'] });
  });
  afterAll(async () => {
    // Nothing runs these here; cancel them so no deployer picks them up later.
    for (const id of created) await stack?.api('POST', `/v1/operations/${id}/cancel`).catch(() => undefined);
    await stack?.close();
    await receiver?.close();
  });

  it('a linked user’s deploy is acked within 3 s and runs as them, via chat', async () => {
    const name = uniqueName('web');
    const r = await stack.slash(alice, `deploy ${ns}/${name} nginx:1.27 replicas=2 reason="launch day"`, { responseUrl: receiver.url() });
    expect(r.status).toBe(200);
    expect(r.ms).toBeLessThan(3000);
    expect(r.body).toMatchObject({ response_type: 'in_channel' });
    expect(r.body.text).toContain(`Deploying nginx:1.27 to ${ns}/${name} with 2 replicas as ${aliceSubject}`);
    const id = opId(r.body.text);
    created.push(id);
    const op = (await stack.api<Operation>('GET', `/v1/operations/${id}`)).body;
    expect(op).toMatchObject({
      kind: 'deployment.deploy', status: 'queued', actor: { subject: aliceSubject, groups: ['team-a'], via: 'chat' },
      target: { cluster: 'default', namespace: ns, kind: 'Deployment', name },
    });
  });

  it('the same command through the generic webhook runs as the webhook user’s linked subject', async () => {
    const bob = slackUser('WB');
    const bobSubject = `user:${uniqueName('bob')}`;
    await stack.link('webhook', bob, { subject: bobSubject });
    const name = uniqueName('api');
    const r = await stack.webhook({ user: bob, channel: 'ops', text: `scale ${ns}/${name} 4`, responseUrl: receiver.url() });
    expect(r.status).toBe(200);
    const id = opId(r.body.text);
    created.push(id);
    expect((await stack.api<Operation>('GET', `/v1/operations/${id}`)).body).toMatchObject({ kind: 'deployment.scale', actor: { subject: bobSubject, via: 'chat' } });
    // A webhook identity is not a Slack identity.
    expect((await stack.slash(bob, `scale ${ns}/${name} 4`)).body.text).toMatch(/not linked/);
  });

  it('an unlinked user is told how to get linked, and nothing runs', async () => {
    const stranger = slackUser('UZ');
    const name = uniqueName('web');
    for (const text of [`deploy ${ns}/${name} nginx:1.27`, `restart ${ns}/${name}`, `status ${ns}/${name}`, 'approve op_0123456789']) {
      const r = await stack.slash(stranger, text, { responseUrl: receiver.url() });
      expect(r.status).toBe(200);
      expect(r.ms).toBeLessThan(3000);
      expect(r.body.text).toContain(`Nothing ran: your slack user ${stranger} is not linked`);
      expect(r.body.text).toContain(`PUT /v1/chat-identities/slack/${stranger}`);
    }
    expect(await stack.operationsOn(ns, name)).toEqual([]);
  });

  it('help, usage for malformed input and "coming soon" for verbs whose service is not built', async () => {
    const cases: [string, RegExp][] = [
      ['help', /Commands: help, deploy, set-image/],
      ['', /Try \/bosun help|Commands:/],
      ['help rollback', /Usage: \/bosun rollback &lt;ns&gt;\/&lt;name&gt; \[to=N\]/],
      ['deploy', /missing .*Usage: \/bosun deploy/],
      [`deploy ${ns} nginx`, /Usage: \/bosun deploy/],
      [`scale ${ns}/web many`, /Usage: \/bosun scale/],
      [`deploy ${ns}/web nginx:1 replicas=3 colour=blue`, /unknown option "colour"/],
      ['deploy "unterminated', /Usage|quote/i],
      ['frobnicate all', /there is no command|did you mean|Try \/bosun help/],
      ['drain worker-1', /coming/],
      ['nodes', /coming/],
      ['dns check', /coming/],
      [`pvc why ${ns}/data`, /coming/],
      ['tenant create team-z cpu=4', /coming/],
    ];
    for (const [text, expected] of cases) {
      const r = await stack.slash(alice, text);
      expect({ text, status: r.status, reply: r.body.text }).toEqual({ text, status: 200, reply: expect.stringMatching(expected) });
      expect(r.body.response_type).toBe('ephemeral');
    }
  });

  it('op <id> shows an operation in the ack', async () => {
    const name = uniqueName('web');
    const id = opId((await stack.slash(alice, `restart ${ns}/${name}`)).body.text);
    created.push(id);
    const r = await stack.slash(alice, `op ${id}`);
    expect(r.body.text).toMatch(new RegExp(`Restart ${ns}/${name}: queued — operation ${id} by ${aliceSubject}`));
    expect((await stack.slash(alice, 'op op_doesnotexist')).body.text).toMatch(/does not exist/);
  });

  it('a response URL off the allow-list is never fetched, and the user is told', async () => {
    const name = uniqueName('web');
    // Our own receiver, but spelled as a decimal IP: not canonical, so refused.
    const sneaky = receiver.url().replace('127.0.0.1', '2130706433');
    for (const url of [sneaky, 'http://169.254.169.254/latest/meta-data', 'https://evil.example/hook']) {
      const r = await stack.slash(alice, `restart ${ns}/${name}`, { responseUrl: url });
      expect(r.status).toBe(200);
      created.push(opId(r.body.text));
      expect(r.body.text).toMatch(/No updates will be posted: the response URL was refused/);
    }
    await new Promise((res) => setTimeout(res, 500));
    expect(receiver.received.filter((m) => m.path === new URL(sneaky.replace('2130706433', '127.0.0.1')).pathname)).toEqual([]);
  });

  it('follows the operation after the ack: its final state reaches the response URL', async () => {
    // Without a deployer the operation stays queued; cancelling it is the change we can make here.
    const url = receiver.url();
    const name = uniqueName('web');
    const id = opId((await stack.slash(alice, `pause ${ns}/${name}`, { responseUrl: url })).body.text);
    expect((await stack.api('POST', `/v1/operations/${id}/cancel`)).status).toBe(200);
    const [final] = await receiver.waitFor(url, (m) => m.length > 0, 'the final message');
    expect(final.response_type).toBe('in_channel');
    expect(final.text).toMatch(new RegExp(`Pause ${ns}/${name}: cancelled \\(Cancelled: cancelled by user:admin\\) — operation ${id}`));
  });
});

describe('chatops: a slow or absent gateway', () => {
  it('acks "working on it" within 3 s and posts the answer when the gateway gets there', async () => {
    const receiver = await Receiver.start();
    let proxy: SlowProxy | undefined;
    const stack = await ChatStack.start({
      gatewayUrlForChatops: async (gw) => (proxy = await SlowProxy.start(gw, 3500, (m, p) => m === 'POST' && p === '/v1/deployments')).url,
    });
    const created: string[] = [];
    try {
      const user = slackUser('US');
      await stack.link('slack', user, { subject: `user:${uniqueName('slow')}` });
      const ns = uniqueName('e2e-slow');
      const url = receiver.url();
      const r = await stack.slash(user, `deploy ${ns}/web nginx:1.27`, { responseUrl: url });
      expect(r.ms).toBeLessThan(3000);
      expect(r.body.text).toMatch(/Deploying nginx:1.27 to .*Working on it; the result will be posted here/);
      const [late] = await receiver.waitFor(url, (m) => m.length > 0, 'the late answer', 15_000);
      expect(late.text).toMatch(/Deploying nginx:1.27 to .* — operation op_/);
      created.push(opId(late.text));
      const ops = await eventually(async () => ((await stack.operationsOn(ns, 'web')).length === 1 ? true : undefined), 'exactly one operation');
      expect(ops).toBe(true);
    } finally {
      for (const id of created) await stack.api('POST', `/v1/operations/${id}/cancel`).catch(() => undefined);
      await stack.close();
      await proxy?.close();
      await receiver.close();
    }
  });

  it('says plainly when the gateway cannot be reached', async () => {
    const stack = await ChatStack.start({ gatewayUrlForChatops: async () => `http://127.0.0.1:${await closedPort()}` });
    try {
      const r = await stack.slash(slackUser(), 'status team-a/web');
      expect(r.status).toBe(200);
      expect(r.ms).toBeLessThan(3000);
      expect(readable(r.body)).toMatch(/Unavailable.*the Bosun API is unreachable \(ECONNREFUSED\)/);
      const health = await fetch(`${stack.chatopsUrl}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'degraded', components: { 'replay-store': { ok: true }, gateway: { ok: false } } });
    } finally {
      await stack.close();
    }
  });
});
