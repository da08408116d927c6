import type { Block, SlackMessage } from './block-kit.types';

const texts = (b: Block): string[] => {
  if (b.type === 'section') return [...(b.text ? [b.text.text] : []), ...(b.fields ?? []).map((f) => f.text)];
  if (b.type === 'context') return b.elements.map((e) => e.text);
  return [];
};

/** Slack refuses more than 50 blocks, a section text over 3000 characters, more than 10 context elements. */
export const slackLimitViolations = (m: SlackMessage): string[] => {
  const problems: string[] = [];
  if (m.blocks.length > 50) problems.push(`${m.blocks.length} blocks`);
  m.blocks.forEach((b, i) => {
    for (const t of texts(b)) if (t.length > 3000) problems.push(`block ${i}: ${t.length} characters`);
    if (b.type === 'context' && b.elements.length > 10) problems.push(`block ${i}: ${b.elements.length} context elements`);
  });
  if (m.text.length > 3000) problems.push(`text: ${m.text.length} characters`);
  return problems;
};

/** Everything a reader sees, for matching. */
export const visible = (m: SlackMessage): string => [m.text, ...m.blocks.flatMap(texts)].join('\n');
