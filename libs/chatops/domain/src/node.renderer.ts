import type { Block, SlackMessage } from './block-kit.types';
import { code, context, esc, section } from './mrkdwn.format';
import type { BlockView, DrainPlanView, DrainResultView, NodeView, PodReason } from './result.views';
import { answer, listBlocks, more } from './slack.limits';

const MAX_NODES = 40;
const MAX_PODS = 25;

const READY_EMOJI: Record<string, string> = { True: '🟢', False: '🔴' };
const ALLOCATABLE_KEYS = ['cpu', 'memory', 'pods'];

const nodeLine = (n: NodeView): string => {
  const parts = [n.ready === 'True' ? 'Ready' : `*NotReady* (${esc(n.ready)})`];
  if (n.cordoned) parts.push('*cordoned*');
  if (n.roles.length > 0) parts.push(esc(n.roles.join(',')));
  if (n.pods !== undefined) parts.push(`${n.pods} pods`);
  const alloc = ALLOCATABLE_KEYS.filter((k) => n.allocatable[k] !== undefined).map((k) => `${k} ${esc(n.allocatable[k])}`);
  if (alloc.length > 0) parts.push(`alloc ${alloc.join(' / ')}`);
  if (n.version) parts.push(esc(n.version));
  const lines = [`${READY_EMOJI[n.ready] ?? '⚪'} ${code(n.name)} · ${parts.join(' · ')}`];
  if (n.taints.length > 0) lines.push(`      taints: ${n.taints.slice(0, 5).map(code).join(', ')}${n.taints.length > 5 ? ` (+${n.taints.length - 5})` : ''}`);
  for (const p of n.problems.slice(0, 3)) lines.push(`      ⚠️ ${esc(p.type)}${p.reason ? ` ${esc(p.reason)}` : ''}${p.message ? `: ${esc(p.message.slice(0, 200))}` : ''}`);
  return lines.join('\n');
};

/** `nodes`: one compact line per node, not-ready and cordoned ones first. */
export const renderNodes = (nodes: readonly NodeView[]): SlackMessage => {
  if (nodes.length === 0) return answer('The cluster has no nodes.', [section('The cluster has no nodes.')]);
  const rank = (n: NodeView): number => (n.ready === 'True' ? 0 : 2) + (n.cordoned ? 1 : 0);
  const sorted = [...nodes].sort((a, b) => rank(b) - rank(a) || a.name.localeCompare(b.name));
  const ready = nodes.filter((n) => n.ready === 'True').length;
  const cordoned = nodes.filter((n) => n.cordoned).length;
  const summary = `${nodes.length} node${nodes.length === 1 ? '' : 's'}: ${ready} ready${ready < nodes.length ? `, ${nodes.length - ready} not ready` : ''}${cordoned > 0 ? `, ${cordoned} cordoned` : ''}`;
  return answer(summary, [section(`*Nodes* — ${summary}`), ...listBlocks(sorted.map(nodeLine), MAX_NODES, 'nodes')]);
};

/** "ns/web-1 is blocked by PodDisruptionBudget ns/web: it needs 2 healthy pods and has 2". */
export const blockSentence = (b: BlockView): string => {
  const counts = b.needs !== undefined && b.has !== undefined ? `: it needs ${b.needs} healthy pod${b.needs === 1 ? '' : 's'} and has ${b.has}` : '';
  const words = !counts && b.message ? `: ${b.message}` : '';
  return `${b.pod} is blocked by PodDisruptionBudget ${b.disruptionBudget}${counts}${words}`;
};

const REFUSE_WORDS: Record<string, string> = {
  LocalStorage: 'uses emptyDir data, which is lost; a drain with deleteEmptyDirData would remove it',
  NoController: 'has no controller to bring it back; only a forced drain removes it',
};
const SKIP_WORDS: Record<string, string> = {
  DaemonSet: 'DaemonSet pod, stays', Mirror: 'static (mirror) pod, stays', Completed: 'finished', Terminating: 'already terminating',
};

const pods = (list: readonly string[]): string =>
  `${list.slice(0, MAX_PODS).map(code).join(', ')}${list.length > MAX_PODS ? ` ${more(list.length - MAX_PODS, 'pods')}` : ''}`;
const reasoned = (list: readonly PodReason[], words: Record<string, string>): string[] =>
  list.map((p) => `• ${code(p.pod)} — ${esc(words[p.reason] ?? p.reason)}${p.message ? ` (${esc(p.message.slice(0, 200))})` : ''}`);
const blockLines = (list: readonly BlockView[]): string[] => list.map((b) => `🛑 ${esc(blockSentence(b))}`);

const planVerdict = (node: string, p: DrainPlanView): string => {
  if (p.blocked.length > 0) return `⚠️ A drain now would wait on ${p.blocked.length} blocked pod${p.blocked.length === 1 ? '' : 's'} and fail with DrainBlocked when its timeout passes, unless the budgets allow more disruption first.`;
  if (p.refuse.length > 0) return `⚠️ A drain now would stop at ${p.refuse.length} pod${p.refuse.length === 1 ? '' : 's'} it may not remove (see why above).`;
  return `✅ Nothing blocks it: ${code(`/bosun drain ${node}`)} would evict ${p.evict.length} pod${p.evict.length === 1 ? '' : 's'}.`;
};

/** `drain <node> dry-run`: what would go, what stays, what is refused and what a budget blocks. */
export const renderDrainPlan = (node: string, p: DrainPlanView): SlackMessage => {
  const blocks: Block[] = [section(`🧪 *Dry run* — draining ${code(node)} would cordon it, then:`)];
  blocks.push(section(`*Evict* (${p.evict.length}): ${p.evict.length > 0 ? pods(p.evict) : 'nothing'}`));
  if (p.blocked.length > 0) blocks.push(...listBlocks(blockLines(p.blocked), MAX_PODS, 'blocked pods', `*Blocked* (${p.blocked.length}):`));
  if (p.refuse.length > 0) blocks.push(...listBlocks(reasoned(p.refuse, REFUSE_WORDS), MAX_PODS, 'refused pods', `*Refused* (${p.refuse.length}):`));
  if (p.skip.length > 0) blocks.push(context(`Left alone (${p.skip.length}): ${p.skip.slice(0, 10).map((s) => `${esc(s.pod)} (${esc(SKIP_WORDS[s.reason] ?? s.reason)})`).join(', ')}${p.skip.length > 10 ? ` ${more(p.skip.length - 10, 'pods')}` : ''}`));
  blocks.push(section(planVerdict(node, p)), context('Nothing changed: this was a dry run.'));
  const blockedText = p.blocked.length > 0 ? `; ${p.blocked.slice(0, 3).map(blockSentence).join('; ')}` : '';
  return answer(`Dry run of drain ${node}: evict ${p.evict.length}, blocked ${p.blocked.length}, refused ${p.refuse.length}, left alone ${p.skip.length}${blockedText}`, blocks);
};

/** The outcome of a drain operation: what was evicted, and on DrainBlocked which budgets held what. */
export const drainResultBlocks = (r: DrainResultView, failed: boolean): Block[] => {
  const blocks: Block[] = [section(`*Evicted* (${r.evicted.length}): ${r.evicted.length > 0 ? pods(r.evicted) : 'nothing'}`)];
  if (r.blocked.length > 0) {
    const title = failed ? '*Still blocked*' : '*Blocked for a while, then evicted*';
    blocks.push(...listBlocks(blockLines(r.blocked), MAX_PODS, 'blocked pods', `${title} (${r.blocked.length}):`));
  }
  if (r.skipped.length > 0) blocks.push(context(`Left on the node (${r.skipped.length}): ${r.skipped.slice(0, 10).map((s) => esc(s.pod)).join(', ')}${r.skipped.length > 10 ? ` ${more(r.skipped.length - 10, 'pods')}` : ''}`));
  return blocks;
};
