import type { Operation } from '@bosun/contracts';
import {
  ACTION_IDS, parseCommand, progressBar, progressLine, renderAck, renderOperation, type ActionsBlock, type Block,
  type ChatCommand, type SlackMessage,
} from './index';

const op = (over: Partial<Operation> = {}): Operation => ({
  id: 'op_01HZX3', kind: 'deployment.deploy', status: 'running',
  actor: { subject: 'user:alice', groups: [], via: 'chat' },
  target: { cluster: 'default', namespace: 'team-a', kind: 'Deployment', name: 'web' },
  createdAt: '2026-11-21T10:00:00Z', updatedAt: '2026-11-21T10:00:05Z',
  ...over,
});
const cmd = (text: string): ChatCommand => {
  const r = parseCommand(text);
  if (!r.ok) throw new Error(r.reason);
  return r.command;
};
/** Everything a person could read in the message, blocks and fallback. */
const allText = (m: SlackMessage): string => `${m.text}\n${JSON.stringify(m.blocks)}`;
const actions = (m: SlackMessage): ActionsBlock[] => m.blocks.filter((b: Block): b is ActionsBlock => b.type === 'actions');

describe('progress bar', () => {
  it.each([
    [2, 3, '▰▰▱'], [0, 3, '▱▱▱'], [3, 3, '▰▰▰'], [5, 3, '▰▰▰'], [50, 100, '▰▰▰▰▰▱▱▱▱▱'], [1, 0, ''],
  ])('%i/%i → %s', (c, t, bar) => expect(progressBar(c, t)).toBe(bar));

  it('moves the count next to the bar', () => {
    expect(progressLine(2, 3, '2 of 3 replicas updated')).toBe('▰▰▱ 2/3 replicas updated');
    expect(progressLine(1, 4, 'waiting for pods')).toBe('▰▱▱▱ 1/4 waiting for pods');
    expect(progressLine(1, 4)).toBe('▰▱▱▱ 1/4');
  });
});

describe('renderAck', () => {
  it('names what, where, who and the operation', () => {
    const m = renderAck(cmd('deploy team-a/web nginx:1.27'), op({ status: 'queued' }));
    expect(m.text).toBe('Deploying nginx:1.27 to team-a/web as user:alice — operation op_01HZX3');
    expect(m.response_type).toBe('in_channel');
    expect(allText(m)).toContain('/bosun op op_01HZX3');
  });

  it.each([
    ['set-image team-a/web nginx:1.28', 'Setting the image of team-a/web to nginx:1.28'],
    ['rollback team-a/web', 'Rolling back team-a/web to the previous revision'],
    ['rollback team-a/web to=3', 'Rolling back team-a/web to revision 3'],
    ['scale team-a/web 5', 'Scaling team-a/web to 5 replicas'],
    ['deploy team-a/web nginx replicas=2', 'Deploying nginx to team-a/web with 2 replicas'],
    ['restart team-a/web', 'Restarting team-a/web'],
    ['pause team-a/web', 'Pausing the rollout of team-a/web'],
    ['resume team-a/web', 'Resuming the rollout of team-a/web'],
    ['status team-a/web', 'Looking up team-a/web'],
    ['history team-a/web', 'Fetching the history of team-a/web'],
    ['diagnose team-a/web', 'Diagnosing team-a/web'],
    ['dns check team-a/api', 'Running the DNS checklist for team-a/api'],
    ['dns check', 'Running the DNS checklist'],
    ['pvc why team-a/data', 'Looking into claim team-a/data'],
    ['tenant create team-b', 'Creating tenant team-b'],
    ['nodes', 'Listing the nodes'],
    ['drain worker-1', 'Draining node worker-1'],
    ['op op_1', 'Looking up op_1'],
    ['approve op_1', 'Approving op_1'],
    ['reject op_1', 'Rejecting op_1'],
    ['help', 'Here is what I can do'],
  ])('%s → %s', (text, phrase) => {
    const m = renderAck(cmd(text));
    expect(m.text).toBe(phrase);
    expect(m.response_type).toBe('ephemeral');
  });

  it('offers approval buttons when the operation waits for approval', () => {
    const m = renderAck(cmd('deploy prod-eu/web nginx:1.27'), op({ status: 'awaiting_approval' }));
    expect(allText(m)).toContain('waits for an approver');
    expect(actions(m)[0].elements.map((e) => [e.action_id, e.value])).toEqual([['bosun_approve', 'op_01HZX3'], ['bosun_reject', 'op_01HZX3']]);
  });
});

describe('renderOperation', () => {
  it('shows target, actor and a progress bar while running', () => {
    const m = renderOperation(op({ progress: { current: 2, total: 3, message: '2 of 3 replicas updated' } }));
    const text = allText(m);
    expect(text).toContain('▰▰▱ 2/3 replicas updated');
    expect(text).toContain('`team-a/web`');
    expect(text).toContain('user:alice via chat');
    expect(text).toContain('cluster `default`');
    expect(m.text).toBe('Deploy team-a/web: running — operation op_01HZX3 by user:alice');
    expect(actions(m)).toEqual([]);
  });

  it.each(['succeeded', 'failed', 'rejected', 'cancelled'] as const)('names the terminal status %s exactly and the operation id', (status) => {
    const m = renderOperation(op({ status }));
    expect(m.text).toContain(`: ${status}`);
    expect(m.text).toContain('op_01HZX3');
    expect(JSON.stringify(m.blocks)).toContain(`\`${status}\``);
    expect(m.response_type).toBe('in_channel');
  });

  it('explains a failed rollout in plain words and offers to roll back', () => {
    const m = renderOperation(op({
      status: 'failed', progress: { current: 1, total: 3, message: '1 of 3 replicas updated' },
      error: { code: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-7d9" has timed out progressing.' },
    }));
    const text = allText(m);
    expect(m.text).toBe('Deploy team-a/web: failed (ProgressDeadlineExceeded: ReplicaSet "web-7d9" has timed out progressing.) — operation op_01HZX3 by user:alice');
    expect(text).toContain('*ProgressDeadlineExceeded*');
    expect(text).toContain('The rollout did not finish in time');
    const [remedy] = actions(m);
    expect(remedy.elements.map((e) => [e.action_id, e.value])).toEqual([[ACTION_IDS.rollback, 'team-a/web'], [ACTION_IDS.diagnose, 'team-a/web']]);
    expect(remedy.elements[0].confirm?.text.text).toContain('team-a/web');
  });

  it('explains Forbidden as a rights problem and offers no rollback for a failed rollback', () => {
    const m = renderOperation(op({
      kind: 'deployment.rollback', status: 'failed',
      error: { code: 'Forbidden', message: 'deployments.apps "web" is forbidden: User "alice" cannot patch resource "deployments"' },
    }));
    expect(allText(m)).toContain('Ask a cluster admin for a RoleBinding');
    expect(actions(m)).toEqual([]);
  });

  it.each(['deployment.deploy', 'deployment.set-image', 'deployment.restart'])('after a Forbidden %s offers Diagnose but no Roll back (it would be refused the same way)', (kind) => {
    const m = renderOperation(op({
      kind, status: 'failed',
      error: { code: 'Forbidden', message: 'deployments.apps "web" is forbidden: User "alice" cannot patch resource "deployments"' },
    }));
    expect(allText(m)).toContain('Ask a cluster admin for a RoleBinding');
    expect(actions(m).flatMap((a) => a.elements.map((e) => e.action_id))).toEqual([ACTION_IDS.diagnose]);
    expect(allText(m)).not.toContain('Roll back');
  });

  it.each([
    ['ProgressDeadlineExceeded', true], ['CrashLoopBackOff', true], ['RolloutTimeout', true], ['Forbidden', false], [undefined, true],
    // Stopped before any change: nothing to roll back from.
    ['Invalid', false], ['NotFound', false], ['AlreadyExists', false], ['Stale', false], ['Unauthorized', false],
  ] as const)('a failed deploy with %s offers Roll back: %s', (code, offered) => {
    const m = renderOperation(op({ status: 'failed', ...(code ? { error: { code, message: 'x' } } : {}) }));
    const ids = actions(m).flatMap((a) => a.elements.map((e) => e.action_id));
    expect(ids.includes(ACTION_IDS.rollback)).toBe(offered);
    expect(ids).toContain(ACTION_IDS.diagnose);
  });

  it('shows who decided and why an operation was rejected', () => {
    const m = renderOperation(op({
      status: 'rejected', error: { code: 'ApprovalExpired', message: 'no approval within 1h' },
      approvals: [{ subject: 'user:bob', at: '2026-11-21T11:00:00Z', decision: 'reject' }],
    }));
    const text = allText(m);
    expect(text).toContain('rejected by user:bob');
    expect(text).toContain('Nobody approved it in time');
    expect(actions(m)).toEqual([]);
  });

  it('offers approve and reject buttons carrying the operation id', () => {
    const m = renderOperation(op({ status: 'awaiting_approval' }));
    const [a] = actions(m);
    expect(a.elements.map((e) => ({ id: e.action_id, value: e.value, style: e.style }))).toEqual([
      { id: 'bosun_approve', value: 'op_01HZX3', style: 'primary' },
      { id: 'bosun_reject', value: 'op_01HZX3', style: 'danger' },
    ]);
  });

  it('escapes Kubernetes messages so they cannot ping the channel or fake links', () => {
    const m = renderOperation(op({ status: 'failed', error: { code: 'Invalid', message: '<!channel> see <https://evil|docs> & fix' } }));
    const text = allText(m);
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<https://evil');
    expect(text).toContain('&lt;!channel&gt;');
    expect(m.text).toContain('&amp; fix');
  });

  it('labels cluster-scoped targets by name', () => {
    const m = renderOperation(op({ kind: 'node.drain', target: { cluster: 'default', kind: 'Node', name: 'worker-1' }, status: 'succeeded' }));
    expect(m.text).toBe('Drain worker-1: succeeded — operation op_01HZX3 by user:alice');
  });
});
