import { ACTION_IDS, interactionToCommand } from '@bosun/chatops-domain';
import { FakeGateway, MemoryFollowStore, operation, RecordingPoster, silentLogger, testConfig, testOptions } from '../testing/fakes';
import type { ChatopsOptions } from '../chatops.options';
import type { GatewayResult } from '../gateway/chat-gateway.port';
import { OperationFollower } from '../replies/operation.follower';
import { ReplyChannels } from '../replies/reply-channels';
import type { ResponseUrlPoster } from '../replies/response-url.poster';
import { ChatConversation } from './chat.conversation';
import { CommandRunner } from './command.runner';

const alice = { platform: 'slack' as const, userId: 'U1' };
const HOOK = 'https://hooks.slack.com/commands/T1/1/abc';

const build = (respond: ConstructorParameters<typeof FakeGateway>[0], over: Partial<ChatopsOptions> = {}) => {
  const gw = new FakeGateway(respond);
  const options = testOptions(over);
  const poster = new RecordingPoster();
  const channels = new ReplyChannels(poster as unknown as ResponseUrlPoster, gw, testConfig(), options, silentLogger);
  const follower = new OperationFollower(gw, new MemoryFollowStore(), channels, options, testConfig(), silentLogger);
  const conversation = new ChatConversation(new CommandRunner(gw, options), channels, follower, options, silentLogger);
  return { gw, poster, follower, conversation };
};
const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
};

describe('ChatConversation', () => {
  let follower: OperationFollower | undefined;
  afterEach(async () => follower?.onApplicationShutdown());

  it('acks an operation and follows it to the response URL', async () => {
    const t = build(() => ({ ok: true, status: 202, value: operation() }));
    follower = t.follower;
    t.gw.streams = [[operation(), operation({ status: 'succeeded' })]];
    const ack = await t.conversation.typed({ user: alice, text: 'restart team-a/web', responseUrl: HOOK });
    expect(ack.text).toMatch(/Restarting team-a\/web as user:alice — operation op_/);
    await until(() => t.poster.posts.length === 1);
    expect(t.poster.posts[0]).toMatchObject({ url: HOOK, message: { text: expect.stringMatching(/succeeded/) } });
  });

  it('dns check is acked, followed, and its final post is the checklist', async () => {
    const queued = operation({ id: 'op_dns1', kind: 'dns.checks', target: { cluster: 'default', kind: 'Service', namespace: 'team-a', name: 'api' } });
    const checks = [
      { id: 'dns-pods', title: 'DNS pods are ready', status: 'pass', detail: '2 of 2' },
      { id: 'upstream', title: 'Upstream resolution', status: 'fail', detail: 'SERVFAIL', hint: 'check the forward plugin' },
    ];
    const t = build(() => ({ ok: true, status: 202, value: queued }));
    follower = t.follower;
    t.gw.streams = [[queued, { ...queued, status: 'succeeded', result: { checks } }]];
    const ack = await t.conversation.typed({ user: alice, text: 'dns check team-a/api', responseUrl: HOOK });
    expect(ack.text).toMatch(/Running the DNS checklist for team-a\/api as user:alice — operation op_dns1/);
    expect(t.gw.calls[0].call).toMatchObject({ method: 'POST', path: '/v1/dns/checks', body: { namespace: 'team-a', service: 'api' } });
    await until(() => t.poster.posts.length === 1);
    const final = JSON.stringify(t.poster.posts[0].message);
    expect(t.poster.posts[0].message.text).toMatch(/DNS check team-a\/api: succeeded \(1 fail, 1 pass\)/);
    expect(final).toContain('❌ *2. Upstream resolution* — SERVFAIL\\n      💡 check the forward plugin');
  });

  it('a service that is not deployed is answered in the ack, plainly', async () => {
    const t = build(() => ({ ok: false, problem: { title: 'Not Found', status: 404, detail: 'no such resource' } }));
    const ack = await t.conversation.typed({ user: alice, text: 'nodes', responseUrl: HOOK });
    expect(ack.text).toMatch(/^\/bosun nodes: the provisioner service is not answering in this Bosun right now \(HTTP 404 no such resource\)/);
    expect(t.poster.posts).toEqual([]);
  });

  it('acks "working on it" when the gateway is slow and posts the answer later', async () => {
    let release!: (r: GatewayResult<unknown>) => void;
    const t = build(() => new Promise((r) => (release = r)), { ackDeadlineMs: 20 });
    follower = t.follower;
    const started = Date.now();
    const ack = await t.conversation.typed({ user: alice, text: 'status team-a/web', responseUrl: HOOK });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(ack.text).toMatch(/Looking up team-a\/web.*Working on it/);
    release({ ok: false, problem: { title: 'Not Found', status: 404, detail: 'deployment team-a/web does not exist' } });
    await until(() => t.poster.posts.length === 1);
    expect(t.poster.posts[0].message.text).toMatch(/does not exist/);
  });

  it('never fetches a refused response URL, says so in the ack and has the gateway audit it (without the URL)', async () => {
    const t = build(() => ({ ok: true, status: 202, value: operation() }));
    follower = t.follower;
    const ack = await t.conversation.typed({ user: alice, text: 'restart team-a/web', responseUrl: 'http://169.254.169.254/latest' });
    expect(ack.text).toMatch(/No updates will be posted: the response URL was refused .*not on the response URL allow-list.*\/bosun op op_/);
    expect(t.follower.active).toBe(0);
    expect(t.poster.posts).toEqual([]);
    const audit = t.gw.calls.find((c) => c.call.path === '/v1/audit/chat-events');
    expect(audit).toMatchObject({ user: alice, call: { method: 'POST', body: { type: 'response-url.refused', verb: 'restart', reason: 'http://169.254.169.254 is not on the response URL allow-list' } } });
    expect(JSON.stringify(audit)).not.toContain('/latest');
  });

  it('a refused URL on a button press is audited too', async () => {
    const t = build(() => ({ ok: true, status: 200, value: operation() }));
    await t.conversation.pressed({ user: alice, responseUrl: 'https://hooks.slack.com.evil.example/x', command: interactionToCommand({ actionId: ACTION_IDS.approve, value: 'op_1' }) });
    expect(t.gw.calls.map((c) => c.call.path)).toEqual(['/v1/audit/chat-events']);
    expect(t.gw.calls[0].call.body).toMatchObject({ type: 'response-url.refused', verb: 'approve' });
  });

  it('answers help and usage without any I/O', async () => {
    const t = build(() => { throw new Error('no gateway call expected'); });
    expect((await t.conversation.typed({ user: alice, text: 'help', responseUrl: HOOK })).text).toMatch(/Commands:/);
    expect((await t.conversation.typed({ user: alice, text: 'scale team-a/web lots' })).text).toMatch(/Usage/);
    expect(t.gw.calls).toEqual([]);
  });

  it('turns an unexpected failure into an apology, not an exception', async () => {
    const t = build(() => { throw new Error('boom'); });
    follower = t.follower;
    expect((await t.conversation.typed({ user: alice, text: 'status team-a/web' })).text).toMatch(/Internal error/);
  });

  it('a decision button replaces the original message with the decided operation', async () => {
    const t = build(() => ({ ok: true, status: 200, value: operation({ status: 'queued' }) }));
    follower = t.follower;
    t.gw.streams = [[operation({ status: 'succeeded' })]];
    await t.conversation.pressed({ user: alice, responseUrl: HOOK, command: interactionToCommand({ actionId: ACTION_IDS.approve, value: 'op_1' }) });
    expect(t.gw.calls[0].call).toMatchObject({ method: 'POST', path: '/v1/operations/op_1/approve' });
    await until(() => t.poster.posts.length === 2);
    expect(t.poster.posts.map((p) => p.message.replace_original)).toEqual([true, true]);
  });

  it('a refused decision is posted beside the buttons, which stay', async () => {
    const t = build(() => ({ ok: false, problem: { title: 'Forbidden', status: 403, detail: 'user:alice requested op_1 and may not approve it' } }));
    await t.conversation.pressed({ user: alice, responseUrl: HOOK, command: interactionToCommand({ actionId: ACTION_IDS.approve, value: 'op_1' }) });
    expect(t.poster.posts[0].message).toMatchObject({ replace_original: false, response_type: 'ephemeral', text: expect.stringMatching(/may not approve/) });
  });

  it('an unknown or tampered button is refused without a gateway call', async () => {
    const t = build(() => { throw new Error('no gateway call expected'); });
    await t.conversation.pressed({ user: alice, responseUrl: HOOK, command: interactionToCommand({ actionId: 'bosun_nuke', value: 'x' }) });
    await t.conversation.pressed({ user: alice, responseUrl: HOOK, command: interactionToCommand({ actionId: ACTION_IDS.rollback, value: '../etc' }) });
    expect(t.poster.posts).toHaveLength(2);
    expect(t.gw.calls).toEqual([]);
  });
});
