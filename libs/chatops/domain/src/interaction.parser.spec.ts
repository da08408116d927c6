import {
  interactionToCommand, parseInteraction, parseInteractionForm, parseSlashCommandForm, parseWebhookMessage, renderOperation,
  unescapeSlackText,
} from './index';
import type { Operation } from '@bosun/contracts';

// Shape of a real Slack block_actions payload, trimmed of what Bosun ignores.
const payload = (over: Record<string, unknown> = {}) => ({
  type: 'block_actions',
  user: { id: 'U024BE7LH', username: 'bob', name: 'bob', team_id: 'T0001' },
  api_app_id: 'A01', token: 'legacy',
  container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'C0001', is_ephemeral: false },
  trigger_id: '123.456.abc',
  team: { id: 'T0001', domain: 'acme' },
  channel: { id: 'C0001', name: 'deploys' },
  response_url: 'https://hooks.slack.com/actions/T0001/1/xyz',
  actions: [{ action_id: 'bosun_approve', block_id: 'bosun_decision:op_1', text: { type: 'plain_text', text: 'Approve' }, value: 'op_1', type: 'button', action_ts: '1700000001.1' }],
  ...over,
});

describe('parseInteraction', () => {
  it('reads a button press', () => {
    expect(parseInteraction(JSON.stringify(payload()))).toEqual({
      ok: true,
      interaction: {
        userId: 'U024BE7LH', userName: 'bob', teamId: 'T0001', actionId: 'bosun_approve', value: 'op_1',
        responseUrl: 'https://hooks.slack.com/actions/T0001/1/xyz', channelId: 'C0001', messageTs: '1700000000.000100', triggerId: '123.456.abc',
      },
    });
  });

  it('reads the form body Slack posts', () => {
    const body = new URLSearchParams({ payload: JSON.stringify(payload()) }).toString();
    expect(parseInteractionForm(body)).toMatchObject({ ok: true, interaction: { actionId: 'bosun_approve', value: 'op_1' } });
    expect(parseInteractionForm('foo=bar')).toEqual({ ok: false, reason: 'missing-field', detail: 'payload is missing' });
  });

  it('takes the team from the user when the payload has none (Enterprise Grid)', () => {
    const r = parseInteraction(JSON.stringify(payload({ team: null })));
    expect(r).toMatchObject({ ok: true, interaction: { teamId: 'T0001' } });
  });

  it('reads the buttons Bosun renders, round trip', () => {
    const op: Operation = {
      id: 'op_42', kind: 'deployment.deploy', status: 'awaiting_approval', actor: { subject: 'user:alice', groups: [], via: 'chat' },
      target: { cluster: 'default', namespace: 'prod', kind: 'Deployment', name: 'web' }, createdAt: 'a', updatedAt: 'b',
    };
    const actionsBlock = renderOperation(op).blocks.find((b) => b.type === 'actions');
    if (!actionsBlock || actionsBlock.type !== 'actions') throw new Error('no buttons');
    for (const button of actionsBlock.elements) {
      const r = parseInteraction(JSON.stringify(payload({ actions: [{ ...button, action_ts: '1' }] })));
      if (!r.ok) throw new Error(r.detail);
      expect(interactionToCommand(r.interaction)).toEqual({
        ok: true, value: { verb: button.action_id === 'bosun_approve' ? 'approve' : 'reject', operationId: 'op_42' },
      });
    }
  });

  it.each([
    ['not JSON', '{nope', 'malformed'],
    ['an array', '[]', 'malformed'],
    ['null', 'null', 'malformed'],
    ['a view submission', JSON.stringify(payload({ type: 'view_submission' })), 'unsupported-type'],
    ['no type', JSON.stringify(payload({ type: undefined })), 'unsupported-type'],
    ['no user', JSON.stringify(payload({ user: undefined })), 'missing-field'],
    ['user without id', JSON.stringify(payload({ user: { name: 'x' } })), 'missing-field'],
    ['no actions', JSON.stringify(payload({ actions: [] })), 'missing-field'],
    ['actions not a list', JSON.stringify(payload({ actions: 'x' })), 'missing-field'],
    ['action without id', JSON.stringify(payload({ actions: [{ value: 'op_1' }] })), 'missing-field'],
    ['action without value', JSON.stringify(payload({ actions: [{ action_id: 'bosun_approve' }] })), 'missing-field'],
    ['value not a string', JSON.stringify(payload({ actions: [{ action_id: 'bosun_approve', value: 7 }] })), 'missing-field'],
    ['no response_url', JSON.stringify(payload({ response_url: undefined })), 'missing-field'],
  ])('refuses %s', (_name, text, reason) => {
    expect(parseInteraction(text)).toMatchObject({ ok: false, reason });
  });

  it('never throws on odd input', () => {
    for (const v of [undefined, 42, '', 'x'.repeat(1_000_001), '"string"']) {
      expect(parseInteraction(v as unknown as string).ok).toBe(false);
    }
  });
});

describe('interactionToCommand', () => {
  it.each([
    [{ actionId: 'bosun_approve', value: 'op_1' }, { verb: 'approve', operationId: 'op_1' }],
    [{ actionId: 'bosun_reject', value: 'op_1' }, { verb: 'reject', operationId: 'op_1' }],
    [{ actionId: 'bosun_rollback', value: 'team-a/web' }, { verb: 'rollback', namespace: 'team-a', name: 'web' }],
    [{ actionId: 'bosun_diagnose', value: 'team-a/web' }, { verb: 'diagnose', namespace: 'team-a', name: 'web' }],
  ])('%j', (action, command) => {
    expect(interactionToCommand(action)).toEqual({ ok: true, value: command });
  });

  it.each([
    [{ actionId: 'bosun_approve', value: 'op_1; drop' }, /not an operation id/],
    [{ actionId: 'bosun_rollback', value: '../../etc' }, /expected <namespace>\/<name>/],
    [{ actionId: 'bosun_rollback', value: 'Team/web' }, /DNS-1123/],
    [{ actionId: 'bosun_delete_everything', value: 'x' }, /unknown action "bosun_delete_everything"/],
  ])('refuses %j', (action, reason) => {
    const r = interactionToCommand(action);
    expect(!r.ok && r.reason).toMatch(reason);
  });
});

describe('parseSlashCommandForm', () => {
  it('reads Slack\'s slash-command body', () => {
    const body = 'token=x&team_id=T1&channel_id=C1&user_id=U1&user_name=alice&command=%2Fbosun&text=deploy+team-a%2Fweb+nginx%3A1.27+reason%3D%E2%80%9Chot+fix%E2%80%9D&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1&trigger_id=t1';
    expect(parseSlashCommandForm(body)).toEqual({
      ok: true,
      command: {
        platform: 'slack', userId: 'U1', userName: 'alice', teamId: 'T1', channelId: 'C1', triggerId: 't1',
        text: 'deploy team-a/web nginx:1.27 reason=“hot fix”', responseUrl: 'https://hooks.slack.com/commands/1',
      },
    });
  });

  it('treats a missing text as empty and refuses a missing user', () => {
    expect(parseSlashCommandForm('user_id=U1')).toEqual({ ok: true, command: { platform: 'slack', userId: 'U1', text: '' } });
    expect(parseSlashCommandForm('text=help')).toMatchObject({ ok: false, reason: 'missing-field' });
  });
});

describe('unescapeSlackText', () => {
  it.each([
    ['deploy a/b nginx reason="fix &lt;bug&gt; &amp; more"', 'deploy a/b nginx reason="fix <bug> & more"'],
    ['deploy a/b <http://ghcr.io/org/app:1.0|ghcr.io/org/app:1.0>', 'deploy a/b ghcr.io/org/app:1.0'],
    ['reason="ask <@U123|bob>"', 'reason="ask bob"'],
    ['see <https://example.com>', 'see https://example.com'],
    ['&amp;lt; stays literal', '&lt; stays literal'],
  ])('%s', (raw, typed) => expect(unescapeSlackText(raw)).toBe(typed));

  it('is applied to slash-command text', () => {
    expect(parseSlashCommandForm('user_id=U1&text=reason%3D%22a+%26lt%3Bb%26gt%3B%22')).toMatchObject({ ok: true, command: { text: 'reason="a <b>"' } });
  });
});

describe('parseWebhookMessage', () => {
  it('reads the generic webhook body', () => {
    expect(parseWebhookMessage(JSON.stringify({ user: 'mm:alice', channel: 'ops', text: 'status a/b', responseUrl: 'http://127.0.0.1:9/x' }))).toEqual({
      ok: true, command: { platform: 'webhook', userId: 'mm:alice', channelId: 'ops', text: 'status a/b', responseUrl: 'http://127.0.0.1:9/x' },
    });
  });

  it.each([
    ['{', 'malformed'],
    ['[]', 'malformed'],
    [JSON.stringify({ text: 'help' }), 'missing-field'],
    [JSON.stringify({ user: 'u' }), 'missing-field'],
    [JSON.stringify({ user: 'u', text: 'help', channel: 5 }), 'malformed'],
    [JSON.stringify({ user: 'u', text: 'help', responseUrl: ['x'] }), 'malformed'],
  ])('refuses %s', (body, reason) => {
    expect(parseWebhookMessage(body)).toMatchObject({ ok: false, reason });
  });
});
