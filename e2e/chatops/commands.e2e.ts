import { execFileSync } from 'node:child_process';
import type { Operation } from '@bosun/contracts';
import { eventually, testCluster, uniqueName } from '@bosun/testing';
import { ChatStack, slackUser } from './support/chat.stack';
import { readable, Receiver } from './support/receiver';
import { closedPort, SlowProxy } from './support/slow-proxy';

// Commands from chat, end to end: real gateway, chatops and deployer in this process, real
// NATS, Redis and the local cluster. Commands act on a real Deployment, so the outcome is the
// same whether or not another suite's deployer shares the bus.
jest.setTimeout(120_000);
const cluster = testCluster();
const kubectl = (...args: string[]): string =>
  execFileSync(cluster.kubectl, ['--kubeconfig', cluster.kubeconfig, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const ns = uniqueName('e2e-chat');
beforeAll(() => void kubectl('create', 'namespace', ns));
afterAll(() => {
  try { kubectl('delete', 'namespace', ns, '--wait=false'); } catch { /* already gone */ }
});
const settled = (stack: ChatStack, id: string): Promise<Operation> => eventually(async () => {
  const op = (await stack.api<Operation>('GET', `/v1/operations/${id}`)).body;
  return ['succeeded', 'failed', 'rejected', 'cancelled'].includes(op.status) ? op : undefined;
}, `operation ${id} to finish`, 100_000, 200);
/** The audit entries matching `query`, once there are `count` of them (they are written as responses finish). */
const auditOf = (stack: ChatStack, query: string, count: number): Promise<any[]> => eventually(async () => {
  const items = (await stack.api<{ items: any[] }>('GET', `/v1/audit?${query.replace(/:/g, '%3A')}&limit=100`)).body.items;
  return items.length >= count ? items : undefined;
}, `${count} audit entries for ${query}`, 10_000, 100);
const opId = (text: string): string => {
  const m = /op_[0-9a-f]{6,}/.exec(text);
  if (!m) throw new Error(`no operation id in ${JSON.stringify(text)}`);
  return m[0];
};

describe('chatops: commands end to end', () => {
  let stack: ChatStack;
  let receiver: Receiver;
  const alice = slackUser('UA');
  const aliceSubject = `user:${uniqueName('alice')}`;

  beforeAll(async () => {
    receiver = await Receiver.start();
    stack = await ChatStack.start({ deployer: true });
    // Kubernetes decides through impersonation; this group may do anything.
    await stack.link('slack', alice, { subject: aliceSubject, groups: ['system:masters'] });
    const web = await stack.api('POST', '/v1/deployments', { namespace: ns, name: 'web', image: 'nginx:1.27', replicas: 1 });
    expect((await settled(stack, web.body.id)).status).toBe('succeeded');
  });
  afterAll(async () => {
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
    const op = await settled(stack, opId(r.body.text));
    expect(op).toMatchObject({
      kind: 'deployment.deploy', status: 'succeeded', actor: { subject: aliceSubject, groups: ['system:masters'], via: 'chat' },
      target: { cluster: 'default', namespace: ns, kind: 'Deployment', name },
    });
    expect(kubectl('-n', ns, 'get', 'deployment', name, '-o', 'jsonpath={.metadata.annotations.kubernetes\\.io/change-cause}')).toBe('launch day');
  });

  it('the same command through the generic webhook runs as the webhook user’s linked subject', async () => {
    const bob = slackUser('WB');
    const bobSubject = `user:${uniqueName('bob')}`;
    await stack.link('webhook', bob, { subject: bobSubject, groups: ['system:masters'] });
    const r = await stack.webhook({ user: bob, channel: 'ops', text: `scale ${ns}/web 2`, responseUrl: receiver.url() });
    expect(r.status).toBe(200);
    expect(await settled(stack, opId(r.body.text))).toMatchObject({ kind: 'deployment.scale', status: 'succeeded', actor: { subject: bobSubject, via: 'chat' } });
    expect(kubectl('-n', ns, 'get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}')).toBe('2');
    // A webhook identity is not a Slack identity.
    expect((await stack.slash(bob, `scale ${ns}/web 4`)).body.text).toMatch(/not linked/);
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
    const offList = await stack.slash(stranger, `restart ${ns}/${name}`, { responseUrl: 'https://evil.example/hook' });
    expect(offList.body.text).toContain('is not linked');
    expect(await stack.operationsOn(ns, name)).toEqual([]);
    // Every refused change is in the audit trail as the chat user they are (there is no subject to name), via chat;
    // reads (status) are not audited, for anyone.
    const trail = await auditOf(stack, `subject=chat:slack:${stranger}`, 5);
    expect(trail.map((e) => e.action).sort()).toEqual(['chat.response-url.refused', 'deployment.deploy', 'deployment.restart', 'deployment.restart', 'operation.approve']);
    expect(trail.every((e) => e.via === 'chat' && e.outcome === 'refused' && e.status === 403)).toBe(true);
  });

  it('help, usage for malformed input, and plain words when a service verb has no service to answer it', async () => {
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
      ['drain worker-1 now', /expected dry-run after the node name/],
      ['dns lookup', /missing &lt;ns&gt;.*Usage: \/bosun dns lookup/],
      ['why-scale web', /Usage: \/bosun why-scale/],
      // Read-only service verbs: this stack runs no provisioner, storage, dns-inspector or
      // autoscaler, so they read "not answering" (unless another suite's service shares the
      // bus, in which case they answer for real). Never an exception, always private.
      ['nodes', /not answering in this Bosun right now|\d+ nodes?:|no nodes/],
      ['drain e2e-no-such-node dry-run', /not answering in this Bosun right now|Dry run of drain|NotFound|does not exist/],
      [`pvc why ${ns}/data`, /not answering in this Bosun right now|NotFound|does not exist/],
      [`dns lookup ${ns} kubernetes.default`, /not answering in this Bosun right now|kubernetes\.default \(from/],
      [`autoscalers ${ns}`, /not answering in this Bosun right now|No autoscalers in/],
      [`why-scale ${ns}/web`, /not answering in this Bosun right now|No autoscaler targets/],
    ];
    for (const [text, expected] of cases) {
      const r = await stack.slash(alice, text);
      expect({ text, status: r.status, reply: r.body.text }).toEqual({ text, status: 200, reply: expect.stringMatching(expected) });
      expect(r.body.response_type).toBe('ephemeral');
    }
  });

  it('op <id> shows an operation in the ack', async () => {
    const id = opId((await stack.slash(alice, `restart ${ns}/web`)).body.text);
    await settled(stack, id);
    const r = await stack.slash(alice, `op ${id}`);
    expect(r.body.response_type).toBe('ephemeral');
    expect(r.body.text).toBe(`Restart ${ns}/web: succeeded — operation ${id} by ${aliceSubject}`);
    expect((await stack.slash(alice, 'op op_doesnotexist')).body.text).toMatch(/does not exist/);
  });

  it('a response URL off the allow-list is never fetched, and the user is told', async () => {
    // Our own receiver, but spelled as a decimal IP: not canonical, so refused.
    const sneaky = receiver.url().replace('127.0.0.1', '2130706433');
    for (const url of [sneaky, 'http://169.254.169.254/latest/meta-data', 'https://evil.example/hook']) {
      const r = await stack.slash(alice, `diagnose ${ns}/web`, { responseUrl: url });
      expect(r.status).toBe(200);
      const op = await stack.slash(alice, `pause ${ns}/web`, { responseUrl: url });
      expect(op.body.text).toMatch(/No updates will be posted: the response URL was refused .* Ask with \/bosun op op_/);
      await settled(stack, opId(op.body.text));
      await settled(stack, opId((await stack.slash(alice, `resume ${ns}/web`)).body.text));
    }
    await new Promise((res) => setTimeout(res, 500));
    expect(receiver.received.filter((m) => m.path === new URL(sneaky.replace('2130706433', '127.0.0.1')).pathname)).toEqual([]);
    // Each refusal is audited as alice via chat, with chatops' reason and never the URL.
    const trail = await auditOf(stack, `subject=${aliceSubject}&action=chat.response-url.refused`, 6);
    expect(trail.every((e) => e.via === 'chat' && e.outcome === 'refused' && e.target.kind === 'ResponseUrl')).toBe(true);
    expect(trail.map((e) => e.target.verb).sort()).toEqual(['diagnose', 'diagnose', 'diagnose', 'pause', 'pause', 'pause']);
    expect(new Set(trail.map((e) => e.target.reason))).toEqual(new Set([
      expect.stringMatching(/host is not written in canonical form/), 'http://169.254.169.254 is not on the response URL allow-list', 'https://evil.example is not on the response URL allow-list',
    ]));
    expect(JSON.stringify(trail)).not.toMatch(/meta-data|\/hook/);
  });

  it('follows the operation after the ack: its final state reaches the response URL', async () => {
    const url = receiver.url();
    const id = opId((await stack.slash(alice, `pause ${ns}/web`, { responseUrl: url })).body.text);
    const posts = await receiver.waitFor(url, (m) => m.some((x) => /: succeeded/.test(x.text)), 'the final message');
    expect(posts.at(-1)).toMatchObject({ response_type: 'in_channel', text: `Pause ${ns}/web: succeeded — operation ${id} by ${aliceSubject}` });
    expect(kubectl('-n', ns, 'get', 'deployment', 'web', '-o', 'jsonpath={.spec.paused}')).toBe('true');
    await settled(stack, opId((await stack.slash(alice, `resume ${ns}/web`)).body.text));
  });
});

describe('chatops: a slow or absent gateway', () => {
  it('acks "working on it" within 3 s and posts the answer when the gateway gets there', async () => {
    const receiver = await Receiver.start();
    let proxy: SlowProxy | undefined;
    const stack = await ChatStack.start({
      gatewayUrlForChatops: async (gw) => (proxy = await SlowProxy.start(gw, 3500, (m, p) => m === 'POST' && p === '/v1/deployments')).url,
    });
    try {
      const user = slackUser('US');
      await stack.link('slack', user, { subject: `user:${uniqueName('slow')}`, groups: ['system:masters'] });
      const url = receiver.url();
      const r = await stack.slash(user, `deploy ${ns}/slow nginx:1.27`, { responseUrl: url });
      expect(r.ms).toBeLessThan(3000);
      expect(r.body.text).toMatch(/Deploying nginx:1.27 to .*Working on it; the result will be posted here/);
      const [late] = await receiver.waitFor(url, (m) => m.length > 0, 'the late answer', 15_000);
      expect(late.text).toMatch(/Deploying nginx:1.27 to .* — operation op_/);
      expect(await stack.operationsOn(ns, 'slow')).toHaveLength(1);
    } finally {
      // The proxy first: it holds the follower's event stream open, which would keep the gateway from closing.
      await proxy?.close();
      await stack.close();
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
