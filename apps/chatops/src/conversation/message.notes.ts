import { escapeMrkdwn, type SlackMessage } from '@bosun/chatops-domain';
import type { OpenedChannel } from '../replies/reply-channels';

const inlineCode = (s: string): string => `\`${escapeMrkdwn(s).replace(/`/g, "'")}\``;

/** Adds a context line (mrkdwn, already escaped) under a message; the one-line text gets it too. */
export const withNote = (message: SlackMessage, mrkdwnNote: string, plainNote: string): SlackMessage => ({
  ...message,
  text: `${message.text} ${escapeMrkdwn(plainNote)}`.slice(0, 3000),
  blocks: [...message.blocks, { type: 'context', elements: [{ type: 'mrkdwn', text: mrkdwnNote }] }],
});

/** Why no updates will follow, when an operation is still under way and there is no channel for them. */
export const noUpdatesNote = (message: SlackMessage, opened: OpenedChannel, operationId?: string): SlackMessage => {
  if (opened.channel) return message;
  const ask = operationId ? `/bosun op ${operationId}` : '/bosun op <id>';
  const why = 'refused' in opened ? `the response URL was refused (${opened.refused})` : 'no response URL came with the request';
  return withNote(message, `⚠️ No updates will be posted here: ${escapeMrkdwn(why)}. Ask with ${inlineCode(ask)}.`, `No updates will be posted: ${why}. Ask with ${ask}.`);
};

/** The ack when the API is slow: the command is on its way and the result will follow. */
export const workingOnItNote = (message: SlackMessage, opened: OpenedChannel): SlackMessage =>
  opened.channel
    ? withNote(message, '⏳ Working on it: the Bosun API is taking a moment; the result will be posted here.', 'Working on it; the result will be posted here.')
    : noUpdatesNote(withNote(message, '⏳ Working on it: the Bosun API is taking a moment.', 'Working on it.'), opened);
