import type { ContextBlock, Mrkdwn, PlainText, SectionBlock } from './block-kit.types';

/**
 * Slack reads `<…>` as links and mentions (`<!channel>`), so anything that came from a
 * user or from Kubernetes is escaped before it is put into a message.
 */
export const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Slack's limit for a section's text is 3000 characters; stay under it with room. */
export const clip = (s: string, max = 2800): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** An inline code span; backticks inside would end it early, so they become quotes. */
export const code = (s: string): string => `\`${esc(s).replace(/`/g, "'")}\``;

export const mrkdwn = (text: string): Mrkdwn => ({ type: 'mrkdwn', text: clip(text) });
export const plain = (text: string): PlainText => ({ type: 'plain_text', text: clip(text, 150), emoji: true });
export const section = (text: string): SectionBlock => ({ type: 'section', text: mrkdwn(text) });
export const fields = (...items: string[]): SectionBlock => ({ type: 'section', fields: items.slice(0, 10).map((t) => mrkdwn(clip(t, 1900))) });
export const context = (...items: string[]): ContextBlock => ({ type: 'context', elements: items.slice(0, 10).map(mrkdwn) });

const BAR_FILLED = '▰';
const BAR_EMPTY = '▱';

/** `▰▰▱` for 2 of 3; scaled down to `width` segments for large totals. */
export const progressBar = (current: number, total: number, width = 10): string => {
  if (!(total > 0)) return '';
  const segments = Math.min(total, width);
  const ratio = Math.min(1, Math.max(0, current / total));
  const filled = Math.round(ratio * segments);
  return BAR_FILLED.repeat(filled) + BAR_EMPTY.repeat(segments - filled);
};

/**
 * `▰▰▱ 2/3 replicas updated`. Services word progress as "2 of 3 replicas updated";
 * the count moves next to the bar and the rest of the message follows it.
 */
export const progressLine = (current: number, total: number, message = ''): string => {
  const bar = progressBar(current, total);
  const count = `${current}/${total}`;
  const m = /^\s*\d+\s+of\s+\d+\s+(.+)$/i.exec(message);
  const words = m ? m[1] : message.trim();
  return [bar, count, words].filter((s) => s !== '').join(' ');
};

/** Splits lines into chunks that each fit one section. */
export const chunkLines = (lines: readonly string[], max = 2800): string[] => {
  const chunks: string[] = [];
  let current = '';
  for (const line of lines) {
    const next = current === '' ? line : `${current}\n${line}`;
    if (next.length > max && current !== '') {
      chunks.push(current);
      current = clip(line, max);
    } else {
      current = clip(next, max);
    }
  }
  if (current !== '') chunks.push(current);
  return chunks;
};
