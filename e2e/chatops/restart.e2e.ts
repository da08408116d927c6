import { execFileSync } from 'node:child_process';
import { followId, type SlackMessage } from '@bosun/chatops-domain';
import type { Operation } from '@bosun/contracts';
import { createLogger } from '@bosun/logging';
import { connectRedisFailFast, type Redis } from '@bosun/messaging';
import { eventually, testCluster, testInfra, uniqueName } from '@bosun/testing';
import { ChatStack, slackUser } from './support/chat.stack';
import { readable, Receiver } from './support/receiver';

// Chat that survives chatops: a thread following an operation gets its progress and exactly
// one final message although the chatops that started following is restarted, replaced by
// another replica, or killed with SIGKILL meanwhile. An approval rule holds each operation
// while chatops is taken away, so the restart always falls in the middle of the follow.
jest.setTimeout(180_000);
const TERMINAL = /: (succeeded|failed|rejected|cancelled)( \(.*\))? — operation /;
const PROD_RULE = { rules: [{ namespaces: ['prod-*'], actions: ['deployment.*'], approvals: 1 }] };
const opId = (text: string): string => {
  const m = /op_[0-9a-f]{6,}/.exec(text);
  if (!m) throw new Error(`no operation id in ${JSON.stringify(text)}`);
  return m[0];
};
const finals = (posts: SlackMessage[]): SlackMessage[] => posts.filter((m) => TERMINAL.test(m.text));
const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let redis: Redis;
beforeAll(() => { redis = connectRedisFailFast(testInfra().redisUrl, 'chat-restart-e2e', createLogger('e2e', 'silent')); });
afterAll(() => redis?.disconnect());
const stored = async (id: string, url: string): Promise<boolean> => (await redis.zscore('bosun:chat:follows', followId(id, url))) !== null;
const leaseOf = (id: string, url: string): Promise<number> => redis.pttl(`bosun:chat:follow:${followId(id, url)}:lease`);

/** A chat user who deploys into a namespace an approval rule holds, and the ack's operation. */
const requestHeld = async (stack: ChatStack, receiver: Receiver, userId: string, ns: string) => {
  const url = receiver.url();
  const ack = await stack.slash(userId, `deploy ${ns}/${uniqueName('web')} nginx:1.27 replicas=2`, { responseUrl: url });
  expect(readable(ack.body)).toMatch(/waits for an approver/);
  const id = opId(ack.body.text);
  await eventually(async () => ((await stored(id, url)) ? true : undefined), 'the follow to be stored', 10_000, 50);
  return { id, url };
};

describe('chatops restarts mid-follow (in process, with the deployer and the cluster)', () => {
  let stack: ChatStack;
  let receiver: Receiver;
  let previousRules: unknown;
  const cluster = testCluster();
  const kubectl = (...args: string[]): string => execFileSync(cluster.kubectl, ['--kubeconfig', cluster.kubeconfig, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const ns = uniqueName('prod-chatrestart');
  const kate = { id: slackUser('UK'), subject: `user:${uniqueName('kate')}` };

  beforeAll(async () => {
    receiver = await Receiver.start();
    // Short leases and sweeps, so that a replica that stops is replaced within a second.
    stack = await ChatStack.start({ deployer: true, chatops: { followLeaseMs: 1000, followSweepMs: 200 } });
    kubectl('create', 'namespace', ns);
    await stack.link('slack', kate.id, { subject: kate.subject, groups: ['system:masters'] });
    previousRules = (await stack.api('GET', '/v1/policies/approvals')).body.rules;
  });
  beforeEach(async () => {
    // The policy store is shared with other suites: set the rule right before each case.
    expect((await stack.api('PUT', '/v1/policies/approvals', PROD_RULE)).status).toBe(200);
  });
  afterAll(async () => {
    await stack?.api('PUT', '/v1/policies/approvals', { rules: previousRules ?? [] }).catch(() => undefined);
    await stack?.close();
    await receiver?.close();
    try { kubectl('delete', 'namespace', ns, '--wait=false'); } catch { /* already gone */ }
  });

  it('a graceful restart: the new chatops resumes at boot; progress and one final message reach the thread; the rollout is in the cluster', async () => {
    const { id, url } = await requestHeld(stack, receiver, kate.id, ns);
    await stack.restartChatops();
    expect((await stack.api('POST', `/v1/operations/${id}/approve`, {})).status).toBe(200);
    await receiver.waitFor(url, (m) => finals(m).length > 0, 'the final message', 150_000);
    await pause(1500); // room for a duplicate to show up, were there one
    const posts = receiver.at(url);
    const op = (await stack.api<Operation>('GET', `/v1/operations/${id}`)).body;
    expect(finals(posts).map((m) => m.text)).toEqual([`Deploy ${op.target.namespace}/${op.target.name}: succeeded — operation ${id} by ${kate.subject}`]);
    expect(posts.at(-1)!.text).toMatch(TERMINAL);
    expect(posts.slice(0, -1).every((m) => /: (queued|running) — operation/.test(m.text))).toBe(true);
    expect(posts.length).toBeLessThanOrEqual(5);
    expect(JSON.parse(kubectl('-n', ns, 'get', 'deployment', op.target.name!, '-o', 'json')).spec.replicas).toBe(2);
    await eventually(async () => ((await stored(id, url)) ? undefined : true), 'the ended follow to be forgotten', 5000, 50);
  });

  it('two replicas: the one following stops, the other takes the follow over within a sweep; one final message', async () => {
    await stack.addChatops();
    const { id, url } = await requestHeld(stack, receiver, kate.id, ns);
    // While the first holds the lease, the second only looks (it sweeps every 200 ms).
    await pause(600);
    await stack.stopChatops(0);
    expect(await leaseOf(id, url)).toBeLessThan(0); // let go at once, not left to lapse
    await eventually(async () => ((await leaseOf(id, url)) > 0 ? true : undefined), 'the other replica to take the follow', 5000, 50);
    expect((await stack.api('POST', `/v1/operations/${id}/reject`, {})).status).toBe(200);
    await receiver.waitFor(url, (m) => finals(m).length > 0, 'the final message', 20_000);
    await pause(1000);
    expect(finals(receiver.at(url)).map((m) => m.text)).toEqual([expect.stringMatching(new RegExp(`: rejected \\(Rejected: .*\\) — operation ${id} by ${kate.subject}$`))]);
  });
});

describe('chatops killed with SIGKILL mid-follow (its own process)', () => {
  let stack: ChatStack;
  let receiver: Receiver;
  let previousRules: unknown;
  const ns = uniqueName('prod-chatkill');
  const lena = { id: slackUser('UL'), subject: `user:${uniqueName('lena')}` };

  beforeAll(async () => {
    receiver = await Receiver.start();
    stack = await ChatStack.start({ chatopsProcess: true });
    await stack.link('slack', lena.id, { subject: lena.subject });
    previousRules = (await stack.api('GET', '/v1/policies/approvals')).body.rules;
    expect((await stack.api('PUT', '/v1/policies/approvals', PROD_RULE)).status).toBe(200);
  });
  afterAll(async () => {
    await stack?.api('PUT', '/v1/policies/approvals', { rules: previousRules ?? [] }).catch(() => undefined);
    await stack?.close();
    await receiver?.close();
  });

  it('the lease a killed chatops held lapses, the restarted process resumes the follow and posts the outcome it missed, once', async () => {
    const { id, url } = await requestHeld(stack, receiver, lena.id, ns);
    await stack.killChatopsProcess();
    // No shutdown hook ran: the lease is still there, and nobody posts until it lapses.
    expect(await leaseOf(id, url)).toBeGreaterThan(0);
    await stack.startChatopsProcess();
    // The operation ends while no chatops follows it; the resumed follow reads the current state first.
    expect((await stack.api('POST', `/v1/operations/${id}/reject`, {})).status).toBe(200);
    await receiver.waitFor(url, (m) => finals(m).length > 0, 'the final message after the lease lapsed (15 s) and a sweep (5 s)', 40_000);
    await pause(1500);
    expect(finals(receiver.at(url)).map((m) => m.text)).toEqual([expect.stringMatching(new RegExp(`: rejected \\(Rejected: .*\\) — operation ${id} by ${lena.subject}$`))]);
    expect(stack.chatopsLog.some((l) => l.includes('follow resumed') && l.includes(id))).toBe(true);
    await eventually(async () => ((await stored(id, url)) ? undefined : true), 'the ended follow to be forgotten', 5000, 50);
  });

  it('SIGTERM instead: the lease is let go at once and the next process resumes at boot', async () => {
    const { id, url } = await requestHeld(stack, receiver, lena.id, ns);
    await stack.killChatopsProcess('SIGTERM');
    expect(await leaseOf(id, url)).toBeLessThan(0);
    await stack.startChatopsProcess();
    await eventually(async () => ((await leaseOf(id, url)) > 0 ? true : undefined), 'the new process to resume at boot', 5000, 50);
    expect((await stack.api('POST', `/v1/operations/${id}/reject`, {})).status).toBe(200);
    await receiver.waitFor(url, (m) => finals(m).length > 0, 'the final message', 15_000);
    await pause(1000);
    expect(finals(receiver.at(url))).toHaveLength(1);
  });
});
