import type { Block, SlackMessage } from './block-kit.types';
import { chunkLines, context, esc } from './mrkdwn.format';

/** Slack refuses a message with more than 50 blocks. */
export const MAX_BLOCKS = 50;
/** The one-line `text` of a message; Slack's own ceiling is far higher, but a notification should stay short. */
export const MAX_TEXT = 3000;

export const more = (n: number, what: string): string => `… and ${n} more ${what}`;

/**
 * At most `max` lines, packed into sections of ≤ 2800 characters, with "… and N more" for
 * the rest: long lists are cut visibly, never dropped silently. `heading` leads the first section.
 */
export const listBlocks = (lines: readonly string[], max: number, what: string, heading?: string): Block[] => {
  const shown = lines.slice(0, max);
  const sections: Block[] = chunkLines(heading === undefined ? shown : [heading, ...shown]).map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } }));
  if (lines.length > shown.length) sections.push(context(more(lines.length - shown.length, what)));
  return sections;
};

/** Keeps a message within 50 blocks, saying how much was cut. */
export const fitBlocks = (blocks: readonly Block[]): Block[] => {
  if (blocks.length <= MAX_BLOCKS) return [...blocks];
  const kept = blocks.slice(0, MAX_BLOCKS - 1);
  return [...kept, context(more(blocks.length - kept.length, 'parts (cut to fit Slack)'))];
};

/** An ephemeral answer (only the asker sees it), within Slack's limits. */
export const answer = (text: string, blocks: readonly Block[]): SlackMessage => ({
  response_type: 'ephemeral', text: esc(text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text), blocks: fitBlocks(blocks),
});
