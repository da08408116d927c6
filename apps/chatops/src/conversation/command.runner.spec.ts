import { DEPLOYER_CAPABILITIES, parseCommand, type ChatCommand } from '@bosun/chatops-domain';
import { FakeGateway, operation, testOptions } from '../testing/fakes';
import type { GatewayResult } from '../gateway/chat-gateway.port';
import { CommandRunner } from './command.runner';

const alice = { platform: 'slack' as const, userId: 'U1' };
const cmd = (text: string): ChatCommand => {
  const r = parseCommand(text);
  if (!r.ok) throw new Error(r.reason);
  return r.command;
};
const ok = (value: unknown, status = 200): GatewayResult<unknown> => ({ ok: true, status, value });

describe('CommandRunner', () => {
  it('answers help and usage without calling the gateway', () => {
    const gw = new FakeGateway();
    const runner = new CommandRunner(gw, testOptions());
    const texts = ['help', 'help deploy', 'deploy', 'deploy team-a/web', 'frobnicate', '', 'drain', 'dns lookup team-a', 'why-scale web', 'autoscalers A'];
    for (const t of texts) expect(runner.prepare(t).kind).toBe('reply');
    expect(gw.calls).toEqual([]);
    expect(JSON.stringify(runner.prepare('deploy team-a/web'))).toMatch(/Usage/);
  });

  it('runs every service verb by default, and answers "coming soon" for a capability switched off', () => {
    const on = new CommandRunner(new FakeGateway(), testOptions());
    for (const t of ['nodes', 'drain worker-1', 'drain worker-1 dry-run', 'dns check', 'dns lookup a b', 'pvc why a/b', 'tenant create t', 'autoscalers', 'why-scale a/b']) {
      expect(on.prepare(t).kind).toBe('command');
    }
    const off = new CommandRunner(new FakeGateway(), testOptions({ capabilities: DEPLOYER_CAPABILITIES }));
    expect(JSON.stringify(off.prepare('drain worker-1'))).toMatch(/coming soon/);
    expect(off.prepare('restart team-a/web').kind).toBe('command');
  });

  it('sends an operation as the chat user and acks with the operation to follow', async () => {
    const op = operation({ status: 'queued' });
    const gw = new FakeGateway(() => ok(op, 202));
    const reply = await new CommandRunner(gw, testOptions()).run(alice, cmd('deploy team-a/web nginx:1.27 replicas=3 reason="launch day"'));
    expect(gw.calls[0]).toMatchObject({ user: alice, call: { method: 'POST', path: '/v1/deployments', body: { namespace: 'team-a', name: 'web', image: 'nginx:1.27', replicas: 3, changeCause: 'launch day' } } });
    expect(reply.operation).toEqual(op);
    expect(reply.message.response_type).toBe('in_channel');
    expect(reply.message.text).toContain(op.id);
  });

  it('maps scale to the deployer route', async () => {
    const gw = new FakeGateway(() => ok(operation({ kind: 'deployment.scale' }), 202));
    await new CommandRunner(gw, testOptions()).run(alice, cmd('scale team-a/web 5'));
    expect(gw.calls[0].call).toMatchObject({ method: 'POST', path: '/v1/deployments/team-a/web/scale', body: { replicas: 5 } });
  });

  it('tells an unlinked user how to get linked', async () => {
    const gw = new FakeGateway(() => ({ ok: false, problem: { title: 'Forbidden', status: 403, code: 'ChatIdentityNotLinked', detail: 'not linked' } }));
    const reply = await new CommandRunner(gw, testOptions()).run(alice, cmd('status team-a/web'));
    expect(reply.operation).toBeUndefined();
    expect(reply.message.text).toMatch(/Nothing ran.*PUT \/v1\/chat-identities\/slack\/U1/);
  });

  it('shows the gateway detail when a decision is refused (self-approval)', async () => {
    const detail = 'user:alice requested op_x and may not approve it: a second person must decide';
    const gw = new FakeGateway(() => ({ ok: false, problem: { title: 'Forbidden', status: 403, detail } }));
    const reply = await new CommandRunner(gw, testOptions()).run(alice, cmd('approve op_x'));
    expect(gw.calls[0].call).toMatchObject({ method: 'POST', path: '/v1/operations/op_x/approve' });
    expect(reply.message.text).toContain(detail);
  });

  it('keeps a failure code so its hint shows, and says when the API is unreachable', async () => {
    const gw = new FakeGateway(() => ({ ok: false, problem: { title: 'Service Unavailable', status: 503, code: 'Unavailable', transport: true, detail: 'the Bosun API is unreachable (ECONNREFUSED)' } }));
    const reply = await new CommandRunner(gw, testOptions()).run(alice, cmd('restart team-a/web'));
    expect(reply.message.text).toMatch(/Unavailable.*ECONNREFUSED/);
  });

  it('renders query results by capability', async () => {
    const view = { namespace: 'team-a', name: 'web', images: ['nginx:1.27'], revision: 3, paused: false, replicas: { desired: 3, updated: 2, ready: 2, available: 2 }, conditions: [], rollout: { state: 'progressing', message: '' } };
    const answers: Record<string, unknown> = {
      '/v1/deployments/team-a/web': view,
      '/v1/deployments/team-a/web/history': { items: [{ revision: 1, images: ['nginx:1.26'] }, { revision: 2, images: ['nginx:1.27'], changeCause: 'bump' }] },
      '/v1/deployments/team-a/web/diagnosis': { healthy: false, findings: [{ code: 'CrashLoopBackOff', pod: 'web-1', message: 'restarting', hint: 'read the logs' }] },
      '/v1/operations/op_1': operation({ id: 'op_1', status: 'succeeded' }),
    };
    const gw = new FakeGateway((_u, c) => ok(answers[c.path]));
    const runner = new CommandRunner(gw, testOptions());
    expect((await runner.run(alice, cmd('status team-a/web'))).message.text).toMatch(/rollout progressing, 2\/3 ready/);
    expect((await runner.run(alice, cmd('history team-a/web'))).message.text).toMatch(/2 revisions, current 2/);
    expect((await runner.run(alice, cmd('diagnose team-a/web'))).message.text).toMatch(/CrashLoopBackOff/);
    const op = await runner.run(alice, cmd('op op_1'));
    expect(op.message.text).toMatch(/succeeded/);
    expect(op.operation).toBeUndefined();
    expect(gw.calls.every((c) => c.call.method === 'GET')).toBe(true);
  });
});
