import { execFileSync } from 'node:child_process';
import type { SlackMessage } from '@bosun/chatops-domain';
import type { Operation } from '@bosun/contracts';
import { eventually, testCluster, uniqueName } from '@bosun/testing';
import { ChatStack, slackUser } from './support/chat.stack';
import { button, readable, Receiver } from './support/receiver';

// Chat → gateway → JetStream → the real deployer → the local Kubernetes control plane,
// and the messages people see in the channel on the way. Outcomes are checked in the cluster.
jest.setTimeout(180_000);
const TERMINAL = /: (succeeded|failed|rejected|cancelled)/;
const opId = (text: string): string => /op_[0-9a-f]{6,}/.exec(text)?.[0] ?? '';

describe('chatops with the deployer and the cluster', () => {
  let stack: ChatStack;
  let receiver: Receiver;
  const ns = uniqueName('e2e-chatrun');
  const cluster = testCluster();
  const kubectl = (...args: string[]): string => execFileSync(cluster.kubectl, ['--kubeconfig', cluster.kubeconfig, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const deployment = (name: string): any => {
    try {
      return JSON.parse(kubectl('-n', ns, 'get', 'deployment', name, '-o', 'json'));
    } catch {
      return undefined;
    }
  };
  const ops = { id: slackUser('UK'), subject: `user:${uniqueName('kate')}` };
  const mallory = { id: slackUser('UM'), subject: `user:${uniqueName('mallory')}` };

  beforeAll(async () => {
    receiver = await Receiver.start();
    stack = await ChatStack.start({ deployer: true });
    kubectl('create', 'namespace', ns);
    // Kubernetes decides through impersonation: kate's group may do anything, mallory has no rights at all.
    await stack.link('slack', ops.id, { subject: ops.subject, groups: ['system:masters'] });
    await stack.link('slack', mallory.id, { subject: mallory.subject });
  });
  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
    try { kubectl('delete', 'namespace', ns, '--wait=false'); } catch { /* already gone */ }
  });

  const finalOn = (url: string, timeoutMs = 165_000): Promise<SlackMessage[]> =>
    receiver.waitFor(url, (m) => m.some((x) => TERMINAL.test(x.text)), 'the final message', timeoutMs);

  it('deploy from Slack: the ack within 3 s, then the final message; the Deployment is in the cluster', async () => {
    const url = receiver.url();
    const ack = await stack.slash(ops.id, `deploy ${ns}/web nginx:1.27 replicas=3 reason="first from chat"`, { responseUrl: url });
    expect(ack.ms).toBeLessThan(3000);
    const id = opId(ack.body.text);
    const posts = await finalOn(url);
    const final = posts.at(-1)!;
    expect(final.response_type).toBe('in_channel');
    expect(final.text).toBe(`Deploy ${ns}/web: succeeded — operation ${id} by ${ops.subject}`);
    expect(readable(final)).toContain(`${ops.subject} via chat`);
    // Whatever progress was posted came before the final message (kwok may finish before the first update).
    expect(posts.slice(0, -1).every((m) => /: (queued|running) — operation/.test(m.text))).toBe(true);
    const d = deployment('web');
    expect(d.spec.template.spec.containers[0].image).toBe('nginx:1.27');
    expect(d.spec.replicas).toBe(3);
    expect(d.metadata.annotations['kubernetes.io/change-cause']).toBe('first from chat');
    expect((await stack.api<Operation>('GET', `/v1/operations/${id}`)).body).toMatchObject({ status: 'succeeded', actor: { subject: ops.subject, via: 'chat' } });
  });

  it('progress, then the final message: a rollout held for approval is followed from the start', async () => {
    // The approval keeps the rollout from starting before the follower listens, so every step is seen.
    const prod = uniqueName('prod-chatrun');
    kubectl('create', 'namespace', prod);
    const previous = (await stack.api('GET', '/v1/policies/approvals')).body.rules;
    try {
      await stack.api('PUT', '/v1/policies/approvals', { rules: [{ namespaces: ['prod-*'], actions: ['deployment.*'], approvals: 1 }] });
      const approver = slackUser('UP');
      await stack.link('slack', approver, { subject: `user:${uniqueName('appr')}`, roles: ['approver'] });
      const url = receiver.url();
      const ack = await stack.slash(ops.id, `deploy ${prod}/web nginx:1.27 replicas=3`, { responseUrl: url });
      const id = opId(ack.body.text);
      expect(readable(ack.body)).toMatch(/waits for an approver/);
      expect((await stack.press(approver, 'bosun_approve', button(ack.body, 'bosun_approve')!, receiver.url())).status).toBe(200);
      const posts = await finalOn(url);
      if (process.env.E2E_SHOW) console.log(JSON.stringify(posts.map((p) => [p.text, readable(p).match(/▰[^"]*|▱[^"]*/)?.[0]])));
      const progress = posts.slice(0, -1);
      expect(progress.length).toBeGreaterThan(0);
      expect(progress.every((m) => new RegExp(`Deploy ${prod}/web: (queued|running) — operation ${id}`).test(m.text))).toBe(true);
      expect(posts.at(-1)!.text).toBe(`Deploy ${prod}/web: succeeded — operation ${id} by ${ops.subject}`);
      expect(readable(posts.at(-1))).toMatch(/▰▰▰ 3\/3/);
      expect(deployment('web')).toBeDefined();
      expect(JSON.parse(kubectl('-n', prod, 'get', 'deployment', 'web', '-o', 'json')).spec.replicas).toBe(3);
    } finally {
      await stack.api('PUT', '/v1/policies/approvals', { rules: previous ?? [] });
      try { kubectl('delete', 'namespace', prod, '--wait=false'); } catch { /* already gone */ }
    }
  });

  it('status, history and diagnose answer in the ack', async () => {
    const status = await stack.slash(ops.id, `status ${ns}/web`);
    expect(status.ms).toBeLessThan(3000);
    expect(status.body.text).toMatch(new RegExp(`${ns}/web: rollout complete, 3/3 ready, revision 1, nginx:1.27`));
    expect((await stack.slash(ops.id, `history ${ns}/web`)).body.text).toMatch(new RegExp(`${ns}/web: 1 revisions, current 1 \\(nginx:1.27\\)`));
    expect((await stack.slash(ops.id, `diagnose ${ns}/web`)).body.text).toMatch(/looks healthy|healthy/);
    expect((await stack.slash(ops.id, `status ${ns}/nothing-here`)).body.text).toMatch(/NotFound|not found|does not exist/i);
  });

  it('scale from chat changes the replicas in the cluster', async () => {
    const url = receiver.url();
    const ack = await stack.slash(ops.id, `scale ${ns}/web 2`, { responseUrl: url });
    expect(ack.body.text).toMatch(/Scaling .* to 2 replicas/);
    expect((await finalOn(url)).at(-1)!.text).toMatch(/Scale .*: succeeded/);
    expect(deployment('web').spec.replicas).toBe(2);
  });

  it('a failed rollout says why in plain words and offers Roll back and Diagnose, which work', async () => {
    // A short progress deadline (set through the API; chat keeps the grammar small) makes the failure quick.
    const admin = await stack.api('POST', '/v1/deployments', { namespace: ns, name: 'shop', image: 'nginx:1.27', replicas: 2, progressDeadlineSeconds: 5 });
    expect(admin.status).toBe(202);
    await eventually(async () => ((await stack.api<Operation>('GET', `/v1/operations/${admin.body.id}`)).body.status === 'succeeded' ? true : undefined), 'the first shop rollout', 90_000, 250);
    const url = receiver.url();
    const ack = await stack.slash(ops.id, `set-image ${ns}/shop fail.bosun.test/crash:x`, { responseUrl: url });
    const id = opId(ack.body.text);
    const final = (await finalOn(url)).at(-1)!;
    expect(final.text).toMatch(new RegExp(`Set image ${ns}/shop: failed \\(ProgressDeadlineExceeded: .*\\) — operation ${id}`));
    expect(readable(final)).toMatch(/💡/);
    expect(button(final, 'bosun_rollback')).toBe(`${ns}/shop`);
    expect(button(final, 'bosun_diagnose')).toBe(`${ns}/shop`);

    const diagnoseUrl = receiver.url();
    expect((await stack.press(ops.id, 'bosun_diagnose', `${ns}/shop`, diagnoseUrl)).status).toBe(200);
    const [diagnosis] = await receiver.waitFor(diagnoseUrl, (m) => m.length > 0, 'the diagnosis');
    expect(diagnosis.text).toMatch(new RegExp(`${ns}/shop: not healthy; .*(CrashLoopBackOff|ProgressDeadlineExceeded)`));

    const rollbackUrl = receiver.url();
    expect((await stack.press(ops.id, 'bosun_rollback', `${ns}/shop`, rollbackUrl)).status).toBe(200);
    const rolledBack = (await finalOn(rollbackUrl)).at(-1)!;
    expect(rolledBack.text).toMatch(new RegExp(`Rollback ${ns}/shop: succeeded — operation op_\\w+ by ${ops.subject}`));
    expect(deployment('shop').spec.template.spec.containers[0].image).toBe('nginx:1.27');
  });

  it('a linked user without Kubernetes rights gets a Forbidden outcome in chat, and nothing is created', async () => {
    const url = receiver.url();
    const ack = await stack.slash(mallory.id, `deploy ${ns}/sneaky nginx:1.27`, { responseUrl: url });
    expect(ack.ms).toBeLessThan(3000);
    const id = opId(ack.body.text);
    // Refused at intake (the deployer validates as the subject) or failed by the deployer: Kubernetes' words either way.
    const outcome = id ? readable((await finalOn(url)).at(-1)) : readable(ack.body);
    if (process.env.E2E_SHOW) console.log(id, outcome);
    expect(outcome).toMatch(/Forbidden/);
    expect(outcome).toContain(`User \\"${mallory.subject.slice('user:'.length)}\\" cannot`);
    expect(deployment('sneaky')).toBeUndefined();
  });
});
