import type { SlackMessage } from '@bosun/chatops-domain';
import type { Operation } from '@bosun/contracts';
import { eventually, uniqueName } from '@bosun/testing';
import { ChatStack, slackUser } from './support/chat.stack';
import { CommandRecorder } from './support/command-stream';
import { button, readable, Receiver } from './support/receiver';

// Approvals from chat, end to end (issue 5 → Approvals): rules, buttons, typed decisions,
// the four-eyes rule, expiry, and that a rejected operation never reaches the deployer.
jest.setTimeout(60_000);
const PROD_RULE = { rules: [{ namespaces: ['prod-*'], actions: ['deployment.*'], approvals: 1 }] };
const opId = (text: string): string => /op_[0-9a-f]{6,}/.exec(text)?.[0] ?? '';
const text = (ms: SlackMessage[]): string[] => ms.map((m) => m.text);

/** Chat users and their linked identities: a requester who could approve others' work, and an approver. */
const people = async (stack: ChatStack) => {
  const requester = { id: slackUser('UR'), subject: `user:${uniqueName('req')}` };
  const approver = { id: slackUser('UP'), subject: `user:${uniqueName('appr')}` };
  await stack.link('slack', requester.id, { subject: requester.subject, roles: ['operator', 'approver'] });
  await stack.link('slack', approver.id, { subject: approver.subject, roles: ['approver'] });
  return { requester, approver };
};

describe('chatops: approvals', () => {
  let stack: ChatStack;
  let receiver: Receiver;
  let requester: { id: string; subject: string };
  let approver: { id: string; subject: string };
  let previousRules: unknown;
  const ns = uniqueName('prod-chat');
  const cleanup: string[] = [];

  beforeAll(async () => {
    receiver = await Receiver.start();
    stack = await ChatStack.start();
    ({ requester, approver } = await people(stack));
    previousRules = (await stack.api('GET', '/v1/policies/approvals')).body.rules;
  });
  beforeEach(async () => {
    // The policy store is shared with other suites: set the rule right before each case.
    expect((await stack.api('PUT', '/v1/policies/approvals', PROD_RULE)).status).toBe(200);
  });
  afterAll(async () => {
    for (const id of cleanup) await stack?.api('POST', `/v1/operations/${id}/cancel`).catch(() => undefined);
    await stack?.api('PUT', '/v1/policies/approvals', { rules: previousRules ?? [] }).catch(() => undefined);
    await stack?.close();
    await receiver?.close();
  });

  const request = async (name = uniqueName('web')) => {
    const url = receiver.url();
    const ack = await stack.slash(requester.id, `deploy ${ns}/${name} nginx:1.27`, { responseUrl: url });
    const id = opId(ack.body.text);
    cleanup.push(id);
    return { ack: ack.body, id, url, name };
  };
  const get = async (id: string): Promise<Operation> => (await stack.api<Operation>('GET', `/v1/operations/${id}`)).body;

  it('a matching operation waits, with approve and reject buttons in the channel', async () => {
    const { ack, id } = await request();
    expect(ack.response_type).toBe('in_channel');
    expect(readable(ack)).toMatch(/waits for an approver/);
    expect(button(ack, 'bosun_approve')).toBe(id);
    expect(button(ack, 'bosun_reject')).toBe(id);
    expect(await get(id)).toMatchObject({ status: 'awaiting_approval', actor: { subject: requester.subject, via: 'chat' } });
  });

  it('the requester may not approve their own operation, by button or by typing', async () => {
    const { ack, id } = await request();
    const pressUrl = receiver.url();
    const press = await stack.press(requester.id, 'bosun_approve', button(ack, 'bosun_approve')!, pressUrl);
    expect(press.status).toBe(200);
    expect(press.ms).toBeLessThan(3000);
    const [refusal] = await receiver.waitFor(pressUrl, (m) => m.length > 0, 'the refusal');
    expect(refusal).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(refusal.text).toContain(`${requester.subject} requested ${id} and may not approve it: a second person must decide`);
    const typed = await stack.slash(requester.id, `approve ${id}`);
    expect(typed.body.text).toContain('may not approve it: a second person must decide');
    expect(await get(id)).toMatchObject({ status: 'awaiting_approval' });
  });

  it('an approver’s button approves: the card is replaced, the requester hears, the audit log has every step', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const { ack, id, url } = await request();
    await stack.press(requester.id, 'bosun_approve', id, receiver.url());
    const cardUrl = receiver.url();
    const press = await stack.press(approver.id, 'bosun_approve', button(ack, 'bosun_approve')!, cardUrl);
    expect(press.status).toBe(200);
    const [card] = await receiver.waitFor(cardUrl, (m) => m.length > 0, 'the decided card');
    expect(card.replace_original).toBe(true);
    expect(card.text).toMatch(new RegExp(`Deploy ${ns}/.*: queued — operation ${id} by ${requester.subject}`));
    expect(readable(card)).toContain(`approved by ${approver.subject}`);
    expect(button(card, 'bosun_approve')).toBeUndefined();
    expect(await get(id)).toMatchObject({ status: 'queued', approvals: [{ subject: approver.subject, decision: 'approve' }] });
    // The requester's conversation follows the operation out of awaiting_approval.
    expect(text(await receiver.waitFor(url, (m) => m.some((x) => /: queued/.test(x.text)), 'the requester update'))[0]).toMatch(/queued/);
    const audit = await eventually(async () => {
      const items = (await stack.api('GET', `/v1/audit?action=operation.approve&since=${since}&limit=1000`)).body.items as { subject: string; via: string; outcome: string; target?: { name?: string } }[];
      const mine = items.filter((e) => e.target?.name === id);
      return mine.length >= 2 ? mine : undefined;
    }, 'audit entries of both approval attempts');
    expect(audit).toEqual(expect.arrayContaining([
      expect.objectContaining({ subject: requester.subject, via: 'chat', outcome: 'refused' }),
      expect.objectContaining({ subject: approver.subject, via: 'chat', outcome: 'accepted' }),
    ]));
  });

  it('typed decisions: approve <id> queues it, reject <id> ends it rejected, and only the approved one reaches the deployer', async () => {
    const recorder = await CommandRecorder.start();
    const a = await request();
    const r = await request();
    const approved = await stack.slash(approver.id, `approve ${a.id}`);
    expect(approved.body.text).toMatch(new RegExp(`: queued — operation ${a.id}`));
    const rejected = await stack.slash(approver.id, `reject ${r.id}`);
    expect(rejected.body.text).toMatch(new RegExp(`: rejected \\(Rejected: rejected by ${approver.subject}\\) — operation ${r.id}`));
    const final = await receiver.waitFor(r.url, (m) => m.some((x) => /: rejected/.test(x.text)), 'the requester’s final message');
    expect(final.at(-1)!.text).toMatch(new RegExp(`rejected .* — operation ${r.id}`));
    const published = await eventually(async () => {
      const p = recorder.publishedFor([a.id, r.id]);
      return p[a.id].length > 0 ? p : undefined;
    }, 'the approved command on the bus');
    await recorder.close();
    expect(published).toEqual({ [a.id]: ['bosun.cmd.deployer.deploy.v1'], [r.id]: [] });
  });

  it('a reject button ends it rejected and replaces the card', async () => {
    const { ack, id } = await request();
    const cardUrl = receiver.url();
    await stack.press(approver.id, 'bosun_reject', button(ack, 'bosun_reject')!, cardUrl);
    const [card] = await receiver.waitFor(cardUrl, (m) => m.length > 0, 'the decided card');
    expect(card).toMatchObject({ replace_original: true, text: expect.stringMatching(new RegExp(`: rejected .* — operation ${id}`)) });
    expect(await get(id)).toMatchObject({ status: 'rejected', error: { code: 'Rejected' } });
  });

  it('an approval through the API reaches the requester in chat', async () => {
    const { id, url } = await request();
    expect((await stack.api('POST', `/v1/operations/${id}/approve`, {})).status).toBe(200);
    await receiver.waitFor(url, (m) => m.some((x) => new RegExp(`: queued — operation ${id}`).test(x.text)), 'the update after the API approval');
  });

  it('someone without the approver role is refused', async () => {
    const { id } = await request();
    const operator = slackUser('UO');
    await stack.link('slack', operator, { subject: `user:${uniqueName('op')}`, roles: ['operator'] });
    expect((await stack.slash(operator, `approve ${id}`)).body.text).toMatch(/needs the approver role/);
    expect(await get(id)).toMatchObject({ status: 'awaiting_approval' });
  });
});

describe('chatops: approvals expire', () => {
  it('an operation nobody decides on ends rejected with ApprovalExpired, is told in chat, and never reaches the deployer', async () => {
    const receiver = await Receiver.start();
    // A short TTL; the sweeper sees the shared store, so this stack lives only for this case.
    const stack = await ChatStack.start({ env: { BOSUN_APPROVAL_TTL_SECONDS: '2' } });
    const previous = (await stack.api('GET', '/v1/policies/approvals')).body.rules;
    try {
      await stack.api('PUT', '/v1/policies/approvals', PROD_RULE);
      const { requester, approver } = await people(stack);
      const recorder = await CommandRecorder.start();
      const url = receiver.url();
      const ack = await stack.slash(requester.id, `deploy ${uniqueName('prod-exp')}/web nginx:1.27`, { responseUrl: url });
      const id = opId(ack.body.text);
      expect(readable(ack.body)).toMatch(/waits for an approver/);
      const final = await receiver.waitFor(url, (m) => m.some((x) => /: rejected/.test(x.text)), 'the expiry message', 20_000);
      expect(final.at(-1)!.text).toMatch(new RegExp(`rejected \\(ApprovalExpired: no approver decided within 2 s; the operation was not run\\) — operation ${id}`));
      const op = (await stack.api<Operation>('GET', `/v1/operations/${id}`)).body;
      expect(op).toMatchObject({ status: 'rejected', error: { code: 'ApprovalExpired' } });
      const late = await stack.slash(approver.id, `approve ${id}`);
      expect(late.body.text).toContain(`operation ${id} is rejected, not awaiting_approval`);
      expect(recorder.publishedFor([id])).toEqual({ [id]: [] });
      await recorder.close();
    } finally {
      await stack.api('PUT', '/v1/policies/approvals', { rules: previous ?? [] }).catch(() => undefined);
      await stack.close();
      await receiver.close();
    }
  });
});
