import { isTerminal, type Operation, type OperationStatus } from '@bosun/contracts';
import { ACTION_IDS, type ActionsBlock, type Block, type ButtonElement, type SlackMessage } from './block-kit.types';
import type { ChatCommand } from './command.types';
import { hintFor } from './failure-hint.catalog';
import { code, context, esc, fields, mrkdwn, plain, progressLine, section } from './mrkdwn.format';
import { resultBlocks, resultSummary } from './operation-result.renderer';
import { fitBlocks } from './slack.limits';

const STATUS_EMOJI: Record<OperationStatus, string> = {
  queued: '⏳', awaiting_approval: '✋', running: '🔄', succeeded: '✅', failed: '❌', rejected: '🚫', cancelled: '⏹️',
};

const KIND_LABELS: Record<string, string> = {
  'deployment.deploy': 'Deploy', 'deployment.set-image': 'Set image', 'deployment.rollback': 'Rollback',
  'deployment.pause': 'Pause', 'deployment.resume': 'Resume', 'deployment.restart': 'Restart',
  'deployment.scale': 'Scale', 'deployment.delete': 'Delete', 'dns.checks': 'DNS check', 'dns.check': 'DNS check',
  'tenant.create': 'Create tenant', 'node.drain': 'Drain',
};

/** Deployment operations after which going back one revision is the obvious remedy. */
const ROLLBACK_KINDS = new Set(['deployment.deploy', 'deployment.set-image', 'deployment.restart']);
/**
 * Failures a rollback cannot remedy, so only Diagnose is offered: Kubernetes refused the
 * person's identity (a rollback, another change as the same person, would be refused too),
 * or the operation stopped before changing anything (there is no bad revision to leave, and
 * going back would undo the last good one).
 */
const NO_ROLLBACK_CODES = new Set([
  'Forbidden', 'Unauthorized',
  'Invalid', 'BadRequest', 'NotFound', 'AlreadyExists', 'NotImplemented', 'Stale', 'Rejected', 'ApprovalExpired', 'Cancelled', 'DeploymentPaused',
]);

export const kindLabel = (kind: string): string => KIND_LABELS[kind] ?? kind;

/** `team-a/web`, just the name for cluster-scoped objects, the cluster for cluster-wide work (a DNS check of everything). */
export const targetRef = (t: Operation['target']): string =>
  [t.namespace, t.name].filter((s): s is string => Boolean(s)).join('/') || (t.cluster ? `cluster ${t.cluster}` : t.kind);

const ackPhrase = (cmd: ChatCommand): string => {
  const ref = 'namespace' in cmd && 'name' in cmd ? code(`${cmd.namespace}/${cmd.name}`) : '';
  switch (cmd.verb) {
    case 'deploy': return `Deploying ${code(cmd.image)} to ${ref}${cmd.replicas === undefined ? '' : ` with ${cmd.replicas} replicas`}`;
    case 'set-image': return `Setting the image of ${ref} to ${code(cmd.image)}`;
    case 'rollback': return `Rolling back ${ref} to ${cmd.toRevision === undefined ? 'the previous revision' : `revision ${cmd.toRevision}`}`;
    case 'pause': return `Pausing the rollout of ${ref}`;
    case 'resume': return `Resuming the rollout of ${ref}`;
    case 'restart': return `Restarting ${ref}`;
    case 'scale': return `Scaling ${ref} to ${cmd.replicas} replicas`;
    case 'status': return `Looking up ${ref}`;
    case 'history': return `Fetching the history of ${ref}`;
    case 'diagnose': return `Diagnosing ${ref}`;
    default: return otherAckPhrase(cmd);
  }
};

const otherAckPhrase = (cmd: ChatCommand): string => {
  switch (cmd.verb) {
    case 'dns check': return `Running the DNS checklist${cmd.namespace ? ` for ${code([cmd.namespace, cmd.service].filter(Boolean).join('/'))}` : ''}`;
    case 'dns lookup': return `Resolving ${code(cmd.name)} as a pod in ${code(cmd.namespace)} would`;
    case 'pvc why': return `Looking into claim ${code(`${cmd.namespace}/${cmd.claim}`)}`;
    case 'tenant create': return `Creating tenant ${code(cmd.name)}`;
    case 'nodes': return 'Listing the nodes';
    case 'drain': return cmd.dryRun ? `Planning a drain of node ${code(cmd.node)} (dry run)` : `Draining node ${code(cmd.node)}`;
    case 'autoscalers': return `Listing the autoscalers${cmd.namespace ? ` in ${code(cmd.namespace)}` : ''}`;
    case 'why-scale': return `Looking up the autoscaler of ${code(`${cmd.namespace}/${cmd.name}`)}`;
    case 'op': return `Looking up ${code(cmd.operationId)}`;
    case 'approve': return `Approving ${code(cmd.operationId)}`;
    case 'reject': return `Rejecting ${code(cmd.operationId)}`;
    default: return 'Here is what I can do';
  }
};

/** Drops mrkdwn emphasis for the one-line `text` fallback; escapes stay, Slack parses it too. */
const unformat = (s: string): string => s.replace(/[`*]/g, '');

const button = (text: string, actionId: string, value: string, style?: 'primary' | 'danger'): ButtonElement => ({
  type: 'button', text: plain(text), action_id: actionId, value, ...(style ? { style } : {}),
});

const approvalButtons = (op: Operation): ActionsBlock => ({
  type: 'actions', block_id: `bosun_decision:${op.id}`,
  elements: [button('Approve', ACTION_IDS.approve, op.id, 'primary'), button('Reject', ACTION_IDS.reject, op.id, 'danger')],
});

const rollbackButton = (ref: string): ButtonElement => ({
  ...button('Roll back', ACTION_IDS.rollback, ref, 'danger'),
  confirm: {
    title: plain('Roll back?'), text: mrkdwn(`Roll ${code(ref)} back to its previous revision?`),
    confirm: plain('Roll back'), deny: plain('Cancel'), style: 'danger',
  },
});

const remedyButtons = (op: Operation): ActionsBlock => {
  const ref = targetRef(op.target);
  const rollback = NO_ROLLBACK_CODES.has(op.error?.code ?? '') ? [] : [rollbackButton(ref)];
  return { type: 'actions', block_id: `bosun_remedy:${op.id}`, elements: [...rollback, button('Diagnose', ACTION_IDS.diagnose, ref)] };
};

const buttonsFor = (op: Operation): Block[] => {
  if (op.status === 'awaiting_approval') return [approvalButtons(op)];
  const isDeployment = op.target.kind === 'Deployment' && Boolean(op.target.namespace && op.target.name);
  if (op.status === 'failed' && isDeployment && ROLLBACK_KINDS.has(op.kind)) return [remedyButtons(op)];
  return [];
};

const errorBlocks = (op: Operation): Block[] => {
  if (!op.error) return [];
  const blocks: Block[] = [section(`*${esc(op.error.code)}*: ${esc(op.error.message)}`)];
  const hint = hintFor(op.error.code);
  if (hint) blocks.push(context(`💡 ${esc(hint)}`));
  return blocks;
};

const decisionsLine = (op: Operation): Block[] => {
  const decisions = op.approvals ?? [];
  if (decisions.length === 0) return [];
  const words = decisions.map((d) => `${d.decision === 'approve' ? 'approved' : 'rejected'} by ${esc(d.subject)} at ${esc(d.at)}`);
  return [context(words.join(' · '))];
};

const statusSentence = (op: Operation): string => {
  if (op.status === 'awaiting_approval') return 'It waits for an approver: someone with the approver role other than the requester.';
  if (isTerminal(op.status)) return `Finished: ${code(op.status)}.`;
  return `Status: ${code(op.status)}.`;
};

/** The immediate answer to a command, naming the actor and the operation when there is one. */
export const renderAck = (cmd: ChatCommand, operation?: Operation): SlackMessage => {
  const phrase = ackPhrase(cmd);
  const actor = operation ? ` as ${esc(operation.actor.subject)}` : '';
  const opPart = operation ? ` — operation ${code(operation.id)}` : '';
  const line = `${phrase}${actor}${opPart}`;
  const blocks: Block[] = [section(`${operation ? STATUS_EMOJI[operation.status] : '⏳'} ${line}`)];
  if (operation) {
    blocks.push(context(`${statusSentence(operation)} I'll post progress here. Later: ${code(`/bosun op ${operation.id}`)}`));
    blocks.push(...buttonsFor(operation));
  }
  return { response_type: operation ? 'in_channel' : 'ephemeral', text: unformat(line), blocks };
};

/** Progress and final state of an operation; the final one names the id and status as API.md spells them. */
export const renderOperation = (op: Operation): SlackMessage => {
  const ref = targetRef(op.target);
  const label = kindLabel(op.kind);
  const blocks: Block[] = [
    section(`${STATUS_EMOJI[op.status]} *${esc(label)}* ${code(ref)}: *${esc(op.status)}*`),
    fields(
      `*Target*\n${esc(op.target.kind)} ${code(ref)} in cluster ${code(op.target.cluster)}`,
      `*Actor*\n${esc(op.actor.subject)} via ${esc(op.actor.via)}`,
      `*Operation*\n${code(op.id)}`,
      `*Status*\n${code(op.status)}`,
    ),
  ];
  if (op.progress && !(op.status === 'succeeded' && op.progress.total === 0)) {
    blocks.push(section(esc(progressLine(op.progress.current, op.progress.total, op.progress.message))));
  }
  blocks.push(...errorBlocks(op), ...resultBlocks(op), ...decisionsLine(op), ...buttonsFor(op));
  blocks.push(context(`Updated ${esc(op.updatedAt)} · ${code(`/bosun op ${op.id}`)}`));
  const failure = op.error ? ` (${op.error.code}: ${op.error.message})` : '';
  const text = `${label} ${ref}: ${op.status}${failure}${resultSummary(op)} — operation ${op.id} by ${op.actor.subject}`;
  return { response_type: 'in_channel', text: esc(text.slice(0, 2000)), blocks: fitBlocks(blocks) };
};
