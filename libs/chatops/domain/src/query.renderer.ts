import type { DeploymentView, Diagnosis, HistoryItem, Operation } from '@bosun/contracts';
import type { Block, SlackMessage } from './block-kit.types';
import { chunkLines, code, context, esc, fields, progressLine, section } from './mrkdwn.format';
import { renderAutoscalers, renderWhyScale } from './autoscaler.renderer';
import { renderDnsLookup } from './dns.renderer';
import { renderDrainPlan, renderNodes } from './node.renderer';
import { renderOperation } from './operation.renderer';
import type {
  AutoscalerView, ClaimDiagnosisView, DecisionView, DnsLookupView, DrainPlanView, NodeView,
} from './result.views';
import { renderClaimDiagnosis } from './storage.renderer';

/** The read results chat shows, in the shapes the contracts define. */
export type QueryResult =
  | { kind: 'status'; deployment: DeploymentView }
  | { kind: 'history'; namespace: string; name: string; items: HistoryItem[] }
  | { kind: 'diagnosis'; namespace: string; name: string; diagnosis: Diagnosis }
  | { kind: 'operation'; operation: Operation }
  | { kind: 'dns-lookup'; namespace: string; name: string; lookup: DnsLookupView }
  | { kind: 'claim-diagnosis'; namespace: string; claim: string; diagnosis: ClaimDiagnosisView }
  | { kind: 'nodes'; nodes: NodeView[] }
  | { kind: 'drain-plan'; node: string; plan: DrainPlanView }
  | { kind: 'autoscalers'; namespace?: string; autoscalers: AutoscalerView[] }
  | { kind: 'why-scale'; namespace: string; name: string; autoscaler?: AutoscalerView; decisions: DecisionView[] };

const ROLLOUT_EMOJI: Record<DeploymentView['rollout']['state'], string> = {
  progressing: '🔄', complete: '✅', failed: '❌', paused: '⏸️',
};

/** Slack allows 50 blocks a message; long lists are cut with a note, not dropped silently. */
const MAX_ITEMS = 20;

const reply = (text: string, blocks: Block[]): SlackMessage => ({ response_type: 'ephemeral', text: esc(text), blocks });

const renderStatus = (d: DeploymentView): SlackMessage => {
  const ref = `${d.namespace}/${d.name}`;
  const r = d.replicas;
  const troubled = d.conditions.filter((c) => c.status !== 'True');
  const blocks: Block[] = [
    section(`${ROLLOUT_EMOJI[d.rollout.state]} ${code(ref)} rollout *${esc(d.rollout.state)}*${d.rollout.message ? `: ${esc(d.rollout.message)}` : ''}`),
    section(esc(progressLine(r.updated, r.desired, `${r.updated} of ${r.desired} replicas updated`))),
    fields(
      `*Images*\n${d.images.map(code).join('\n') || '—'}`,
      `*Revision*\n${d.revision}${d.paused ? ' (paused)' : ''}`,
      `*Replicas*\n${r.desired} desired · ${r.updated} updated · ${r.ready} ready · ${r.available} available`,
    ),
  ];
  if (troubled.length > 0) {
    blocks.push(context(...troubled.slice(0, 10).map((c) => `${esc(c.type)}=${esc(c.status)}${c.reason ? ` ${esc(c.reason)}` : ''}${c.message ? `: ${esc(c.message)}` : ''}`)));
  }
  const text = `${ref}: rollout ${d.rollout.state}, ${r.ready}/${r.desired} ready, revision ${d.revision}, ${d.images.join(', ')}`;
  return reply(text, blocks);
};

const renderHistory = (namespace: string, name: string, items: HistoryItem[]): SlackMessage => {
  const ref = `${namespace}/${name}`;
  if (items.length === 0) return reply(`${ref} has no revisions yet.`, [section(`${code(ref)} has no revisions yet.`)]);
  // Newest first reads better in chat; the API lists oldest first.
  const newest = [...items].sort((a, b) => b.revision - a.revision);
  const shown = newest.slice(0, MAX_ITEMS);
  const lines = shown.map((h, i) => {
    const cause = h.changeCause ? ` — ${esc(h.changeCause)}` : '';
    const when = h.createdAt ? ` · ${esc(h.createdAt)}` : '';
    return `${i === 0 ? '▶' : '•'} *${h.revision}* ${h.images.map(code).join(', ')}${cause}${when}`;
  });
  const blocks: Block[] = [section(`*History of* ${code(ref)} (newest first)`), ...chunkLines(lines).map(section)];
  if (newest.length > shown.length) blocks.push(context(`…and ${newest.length - shown.length} older revisions.`));
  blocks.push(context(`Go back with ${code(`/bosun rollback ${ref} to=<revision>`)}`));
  return reply(`${ref}: ${items.length} revisions, current ${newest[0].revision} (${newest[0].images.join(', ')})`, blocks);
};

const renderDiagnosis = (namespace: string, name: string, d: Diagnosis): SlackMessage => {
  const ref = `${namespace}/${name}`;
  if (d.healthy && d.findings.length === 0) return reply(`${ref} looks healthy.`, [section(`✅ ${code(ref)} looks healthy.`)]);
  const shown = d.findings.slice(0, MAX_ITEMS);
  const blocks: Block[] = [section(`${d.healthy ? '⚠️' : '❌'} ${code(ref)} ${d.healthy ? 'is healthy, with notes' : 'is not healthy'}:`)];
  for (const f of shown) {
    const where = [f.pod && `pod ${code(f.pod)}`, f.container && `container ${code(f.container)}`].filter(Boolean).join(', ');
    blocks.push(section(`*${esc(f.code)}*${where ? ` (${where})` : ''}: ${esc(f.message)}`), context(`💡 ${esc(f.hint)}`));
  }
  if (d.findings.length > shown.length) blocks.push(context(`…and ${d.findings.length - shown.length} more findings.`));
  const text = `${ref}: ${d.healthy ? 'healthy' : 'not healthy'}; ${d.findings.map((f) => f.code).join(', ')}`;
  return reply(text, blocks);
};

const renderServiceResult = (result: Exclude<QueryResult, { kind: 'status' | 'history' | 'diagnosis' | 'operation' }>): SlackMessage => {
  switch (result.kind) {
    case 'dns-lookup': return renderDnsLookup(result.namespace, result.name, result.lookup);
    case 'claim-diagnosis': return renderClaimDiagnosis(result.namespace, result.claim, result.diagnosis);
    case 'nodes': return renderNodes(result.nodes);
    case 'drain-plan': return renderDrainPlan(result.node, result.plan);
    case 'autoscalers': return renderAutoscalers(result.autoscalers, result.namespace);
    case 'why-scale': return renderWhyScale(result.namespace, result.name, result.autoscaler, result.decisions);
  }
};

/** Answers to the read verbs (status, history, diagnose, op, dns lookup, pvc why, nodes, …); only the asker sees them. */
export const renderQueryResult = (result: QueryResult): SlackMessage => {
  switch (result.kind) {
    case 'status': return renderStatus(result.deployment);
    case 'history': return renderHistory(result.namespace, result.name, result.items);
    case 'diagnosis': return renderDiagnosis(result.namespace, result.name, result.diagnosis);
    case 'operation': return { ...renderOperation(result.operation), response_type: 'ephemeral' };
    default: return renderServiceResult(result);
  }
};
