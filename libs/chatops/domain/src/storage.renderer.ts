import type { Block, SlackMessage } from './block-kit.types';
import { clip, code, context, esc, section } from './mrkdwn.format';
import type { CandidateView, ClaimDiagnosisView } from './result.views';
import { answer, listBlocks, more } from './slack.limits';

/** The closest candidates shown; the rest are counted. */
const MAX_CANDIDATES = 5;
const MAX_CAUSES = 8;

/** Matching volumes first, then those that miss by the fewest reasons. */
const closest = (candidates: readonly CandidateView[]): CandidateView[] =>
  [...candidates].sort((a, b) => Number(b.matches) - Number(a.matches) || a.reasons.length - b.reasons.length || a.volume.localeCompare(b.volume));

const candidateLine = (c: CandidateView): string =>
  c.matches
    ? `✅ ${code(c.volume)} matches`
    : `✖️ ${code(c.volume)} does not match: ${esc(clip(c.reasons.join('; ') || 'no reason given', 700))}`;

const candidateBlocks = (candidates: readonly CandidateView[]): Block[] => {
  if (candidates.length === 0) return [context('No PersistentVolume was a candidate.')];
  const shown = closest(candidates).slice(0, MAX_CANDIDATES);
  const blocks: Block[] = [section(`*Closest volumes* (${candidates.length} considered):\n${shown.map(candidateLine).join('\n')}`)];
  if (candidates.length > shown.length) blocks.push(context(more(candidates.length - shown.length, 'volumes')));
  return blocks;
};

const pendingBlocks = (ref: string, d: ClaimDiagnosisView): Block[] => {
  const blocks: Block[] = [section(`⏳ ${code(ref)} is *${esc(d.phase)}*: not bound to any volume yet.`)];
  const causes = d.causes.map((c) => `*${esc(c.code)}*: ${esc(clip(c.message, 900))}${c.hint ? `\n      💡 ${esc(clip(c.hint, 900))}` : ''}`);
  if (causes.length > 0) blocks.push(...listBlocks(causes, MAX_CAUSES, 'causes'));
  blocks.push(...candidateBlocks(d.candidates));
  if (d.hint) blocks.push(context(`💡 ${esc(d.hint)}`));
  return blocks;
};

/** `pvc why`: bound → to what; otherwise the causes with hints and the closest volumes with why they do not fit. */
export const renderClaimDiagnosis = (namespace: string, claim: string, d: ClaimDiagnosisView): SlackMessage => {
  const ref = `${namespace}/${claim}`;
  if (d.phase === 'Bound') {
    const to = d.boundTo ? ` to ${code(d.boundTo)}` : '';
    const blocks: Block[] = [section(`✅ ${code(ref)} is bound${to}.`)];
    if (d.hint) blocks.push(context(esc(d.hint)));
    return answer(`${ref} is bound${d.boundTo ? ` to ${d.boundTo}` : ''}.`, blocks);
  }
  const firstCause = d.causes[0];
  const why = firstCause ? `${firstCause.code}: ${firstCause.message}` : d.hint ?? '';
  const matching = d.candidates.filter((c) => c.matches).length;
  const text = `${ref} is ${d.phase}${why ? ` — ${why}` : ''} (${d.candidates.length} volumes considered, ${matching} match)`;
  return answer(text, pendingBlocks(ref, d));
};
