import type { Block, SlackMessage } from './block-kit.types';
import { clip, code, context, esc, section } from './mrkdwn.format';
import type { AutoscalerView, ConditionView, DecisionView, MetricView } from './result.views';
import { answer, listBlocks } from './slack.limits';

const MAX_AUTOSCALERS = 30;

const targetRef = (a: AutoscalerView): string => `${a.target.namespace}/${a.target.name}`;
const n = (v: number | undefined): string => (v === undefined ? '?' : String(v));
const replicas = (v: number | undefined): string => `${n(v)} replica${v === 1 ? '' : 's'}`;

/**
 * Conditions worth a look: those that are not True. ScalingLimited reads the other way
 * round (False, DesiredWithinRange, is the healthy state), so it shows when True instead.
 */
export const troubledConditions = (conditions: readonly ConditionView[]): ConditionView[] =>
  conditions.filter((c) => (c.type === 'ScalingLimited' ? c.status === 'True' : c.status !== 'True'));

const conditionText = (c: ConditionView): string =>
  `${esc(c.type)}=${esc(c.status)}${c.reason ? ` ${esc(c.reason)}` : ''}${c.message ? `: ${esc(clip(c.message, 300))}` : ''}`;

const autoscalerLine = (a: AutoscalerView): string => {
  const moving = a.desiredReplicas !== undefined && a.desiredReplicas !== a.currentReplicas ? ` → wants ${n(a.desiredReplicas)}` : '';
  const metrics = a.metrics.filter((m) => m.current !== undefined).map((m) => `${esc(m.name)} ${esc(m.current ?? '')}`);
  const lines = [
    `• ${code(targetRef(a))} (${esc(a.target.kind)}) · ${esc(a.mode)} · ${replicas(a.currentReplicas)}${moving} · min ${n(a.minReplicas)}, max ${n(a.maxReplicas)} · ${code(a.id)}`,
  ];
  if (metrics.length > 0) lines.push(`      metrics: ${metrics.slice(0, 6).join(', ')}`);
  for (const c of troubledConditions(a.conditions).slice(0, 3)) lines.push(`      ⚠️ ${conditionText(c)}`);
  return lines.join('\n');
};

/** `autoscalers [<ns>]`: target, mode, current → desired, min/max and the conditions worth a look. */
export const renderAutoscalers = (all: readonly AutoscalerView[], namespace?: string): SlackMessage => {
  const where = namespace ? ` in ${namespace}` : '';
  if (all.length === 0) {
    return answer(`No autoscalers${where}.`, [section(`No autoscalers${namespace ? ` target ${code(namespace)}` : ' in this cluster'}.`)]);
  }
  const sorted = [...all].sort((a, b) => targetRef(a).localeCompare(targetRef(b)));
  const troubled = all.filter((a) => troubledConditions(a.conditions).length > 0).length;
  const summary = `${all.length} autoscaler${all.length === 1 ? '' : 's'}${where}${troubled > 0 ? `, ${troubled} with conditions to look at` : ''}`;
  return answer(summary, [section(`*Autoscalers*${namespace ? ` in ${code(namespace)}` : ''} — ${esc(summary)}`), ...listBlocks(sorted.map(autoscalerLine), MAX_AUTOSCALERS, 'autoscalers')]);
};

const LIMIT_WORDS: Record<string, (a: AutoscalerView) => string> = {
  minReplicas: (a) => `held at the minimum (minReplicas ${n(a.minReplicas)})`,
  maxReplicas: (a) => `capped at the maximum (maxReplicas ${n(a.maxReplicas)})`,
  scaleUpPolicy: () => 'slowed by the scale-up policy (behavior.scaleUp allows only so many pods per period)',
  scaleDownPolicy: () => 'slowed by the scale-down policy (behavior.scaleDown allows only so many pods per period)',
  stabilization: () => 'held by the stabilization window (it waits for the recommendations of the window to agree before it moves)',
};

const podsNote = (m: MetricView): string => {
  const notes = [
    m.missingPods.length > 0 && `${m.missingPods.length} pod${m.missingPods.length === 1 ? '' : 's'} without the metric`,
    m.unreadyPods.length > 0 && `${m.unreadyPods.length} unready`,
    m.ignoredPods.length > 0 && `${m.ignoredPods.length} ignored`,
  ].filter((x): x is string => Boolean(x));
  return notes.length > 0 ? ` (${notes.join(', ')})` : '';
};

/** mrkdwn escaping for blocks; none for the one-line text, which is escaped as a whole. */
type Escape = (s: string) => string;
const asIs: Escape = (s) => s;

const metricText = (m: MetricView, e: Escape): string => {
  if (m.error) return `${e(m.name)} failed: ${e(clip(m.error, 300))}`;
  return `${e(m.name)} at ${e(m.current ?? '?')} asks for ${n(m.proposal)}${podsNote(m)}`;
};

/** One decision in words: what it chose, why, what limited it. */
export const decisionSentence = (d: DecisionView, a: AutoscalerView, e: Escape = esc): string => {
  const chose = d.desiredReplicas === d.currentReplicas
    ? `kept ${replicas(d.currentReplicas)}`
    : `went from ${n(d.currentReplicas)} to ${replicas(d.desiredReplicas)}`;
  const why = d.perMetric.length > 0 ? `; ${d.perMetric.map((m) => metricText(m, e)).join('; ')}` : '';
  const rec = d.recommendation !== undefined && d.recommendation !== d.desiredReplicas ? `. The metrics recommended ${d.recommendation}` : '';
  const limit = d.limitedBy ? `${rec ? ', ' : '. It was '}${LIMIT_WORDS[d.limitedBy]?.(a) ?? `limited by ${e(d.limitedBy)}`}` : '';
  const failed = d.scaleError ? `. Applying it failed: ${e(d.scaleError.code)}: ${e(clip(d.scaleError.message, 300))}` : '';
  return `${chose}${why}${rec}${limit}${failed}.`;
};

const decisionBlocks = (decisions: readonly DecisionView[], a: AutoscalerView): Block[] => {
  const [latest, ...older] = decisions;
  const blocks: Block[] = [section(`*Latest* (${esc(latest.at)}): it ${decisionSentence(latest, a)}`)];
  if (latest.explanation) blocks.push(context(esc(clip(latest.explanation, 1500))));
  if (older.length > 0) blocks.push(...listBlocks(older.map((d) => `• ${esc(d.at)}: ${decisionSentence(d, a)}`), 10, 'decisions'));
  return blocks;
};

/** `why-scale <ns>/<name>`: the autoscaler of that workload and its last decisions, explained. */
export const renderWhyScale = (namespace: string, name: string, a: AutoscalerView | undefined, decisions: readonly DecisionView[]): SlackMessage => {
  const ref = `${namespace}/${name}`;
  if (!a) {
    return answer(`No autoscaler targets ${ref}, so its replicas change only when someone scales it.`, [
      section(`No autoscaler targets ${code(ref)}, so its replicas change only when someone scales or deploys it.`),
      context(`${code(`/bosun autoscalers ${namespace}`)} lists the autoscalers of ${esc(namespace)}.`),
    ]);
  }
  const head = section(`📈 ${code(ref)} has ${replicas(a.currentReplicas)}: autoscaler ${code(a.id)} (${esc(a.mode)}, min ${n(a.minReplicas)}, max ${n(a.maxReplicas)})`);
  const troubled = troubledConditions(a.conditions);
  const conditions = troubled.length > 0 ? [context(...troubled.slice(0, 5).map((c) => `⚠️ ${conditionText(c)}`))] : [];
  if (decisions.length === 0) {
    return answer(`${ref}: autoscaler ${a.id} has not decided anything yet.`, [head, section('It has not decided anything yet: the first evaluation comes within its interval.'), ...conditions]);
  }
  const text = `${ref}: autoscaler ${a.id} ${decisionSentence(decisions[0], a, asIs)}`;
  return answer(text, [head, ...decisionBlocks(decisions, a), ...conditions]);
};
