import type { Block, SlackMessage } from './block-kit.types';
import { clip, code, context, esc, section } from './mrkdwn.format';
import type { CheckStatus, DnsCheckView, DnsLookupView } from './result.views';
import { answer, listBlocks } from './slack.limits';

const CHECK_EMOJI: Record<CheckStatus, string> = { pass: '✅', warn: '⚠️', fail: '❌', skip: '⏭' };
const MAX_QUERIES = 12;

/** `5 pass, 1 warn, 1 fail` in checklist order of severity. */
export const dnsChecksSummary = (checks: readonly DnsCheckView[]): string => {
  const count = (st: CheckStatus): number => checks.filter((c) => c.status === st).length;
  const parts = (['fail', 'warn', 'pass', 'skip'] as const).filter((st) => count(st) > 0).map((st) => `${count(st)} ${st}`);
  return parts.length > 0 ? parts.join(', ') : 'no steps';
};

const checkLine = (c: DnsCheckView, i: number): string => {
  const head = `${CHECK_EMOJI[c.status]} *${i + 1}. ${esc(c.title)}*${c.detail ? ` — ${esc(clip(c.detail, 600))}` : ''}`;
  const failing = c.status === 'fail' || c.status === 'warn';
  return failing && c.hint ? `${head}\n      💡 ${esc(clip(c.hint, 600))}` : head;
};

/** The checklist, in order: one line per step, the hint under each failing (or warning) step. */
export const dnsCheckBlocks = (checks: readonly DnsCheckView[]): Block[] => {
  if (checks.length === 0) return [context('The checklist came back without steps.')];
  const worst = checks.some((c) => c.status === 'fail') ? '❌' : checks.some((c) => c.status === 'warn') ? '⚠️' : '✅';
  return [section(`${worst} *DNS checklist*: ${dnsChecksSummary(checks)}`), ...listBlocks(checks.map(checkLine), 20, 'steps')];
};

const queryLine = (q: DnsLookupView['queries'][number], i: number, answeredBy?: string): string => {
  const won = answeredBy !== undefined && q.name === answeredBy;
  const emoji = won ? '✅' : q.rcode === 'NOERROR' ? '➖' : '❌';
  const answers = q.answers.length > 0 ? ` → ${q.answers.slice(0, 5).map(code).join(', ')}${q.answers.length > 5 ? ` (+${q.answers.length - 5})` : ''}` : '';
  const ms = q.ms === undefined ? '' : ` · ${Math.round(q.ms * 10) / 10} ms`;
  return `${emoji} ${i + 1}. ${code(q.name)} *${esc(q.rcode)}*${answers}${ms}${won ? ' ← answered' : ''}`;
};

/** A lookup as a pod would do it: every query in order, which one answered, how many were wasted, the hint. */
export const renderDnsLookup = (namespace: string, name: string, v: DnsLookupView): SlackMessage => {
  const headline = v.answeredBy
    ? `${code(name)} from namespace ${code(namespace)} was answered by ${code(v.answeredBy)}${v.wasted > 0 ? ` after ${v.wasted} wasted quer${v.wasted === 1 ? 'y' : 'ies'}` : ' at the first query'}`
    : `${code(name)} from namespace ${code(namespace)} did not resolve: ${v.queries.length} quer${v.queries.length === 1 ? 'y' : 'ies'}, no answer`;
  const blocks: Block[] = [
    section(`${v.answeredBy ? '🔎' : '❌'} ${headline}.`),
    ...listBlocks(v.queries.map((q, i) => queryLine(q, i, v.answeredBy)), MAX_QUERIES, 'queries'),
  ];
  if (v.hint) blocks.push(context(`💡 ${esc(v.hint)}`));
  if (v.server) blocks.push(context(`Asked the cluster DNS at ${code(v.server)}.`));
  const text = v.answeredBy
    ? `${name} (from ${namespace}): answered by ${v.answeredBy}, ${v.wasted} wasted of ${v.queries.length} queries${v.hint ? `. ${v.hint}` : ''}`
    : `${name} (from ${namespace}): no answer after ${v.queries.length} queries${v.hint ? `. ${v.hint}` : ''}`;
  return answer(text, blocks);
};
