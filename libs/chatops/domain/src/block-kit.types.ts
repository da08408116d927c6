import type {
  ActionsBlock as SlackActionsBlock, Button, ConfirmationDialog, ContextBlock as SlackContextBlock, DividerBlock as SlackDividerBlock,
  HeaderBlock as SlackHeaderBlock, MrkdwnElement, PlainTextElement, SectionBlock as SlackSectionBlock,
} from '@slack/types';

/**
 * The slice of Slack Block Kit that Bosun's messages use: Slack's own types (`@slack/types`,
 * types only, so the domain stays free of any SDK), narrowed to the elements Bosun sends so
 * that code and tests can read them without guessing which of Slack's variants it holds.
 */
export type PlainText = PlainTextElement;
export type Mrkdwn = MrkdwnElement;
export type TextObject = PlainText | Mrkdwn;

export type ConfirmDialog = ConfirmationDialog & { title: PlainText; text: TextObject; confirm: PlainText; deny: PlainText };

export type ButtonElement = Button & { text: PlainText; action_id: string; value: string; confirm?: ConfirmDialog };

export type HeaderBlock = SlackHeaderBlock;
export type SectionBlock = Omit<SlackSectionBlock, 'text' | 'fields' | 'accessory'> & { type: 'section'; text?: TextObject; fields?: TextObject[] };
export type ContextBlock = Omit<SlackContextBlock, 'elements'> & { type: 'context'; elements: TextObject[] };
export type ActionsBlock = Omit<SlackActionsBlock, 'elements'> & { type: 'actions'; elements: ButtonElement[] };
export type DividerBlock = SlackDividerBlock;
export type Block = HeaderBlock | SectionBlock | ContextBlock | ActionsBlock | DividerBlock;

/**
 * A reply to a slash command or a `response_url` post. `text` is the notification and
 * screen-reader fallback, so it always says the whole thing in one line.
 */
export interface SlackMessage {
  response_type: 'ephemeral' | 'in_channel';
  text: string;
  blocks: Block[];
  /** For `response_url` posts that update the message a button was on. */
  replace_original?: boolean;
}

/** Action ids of Bosun's buttons; the interaction endpoint dispatches on these. */
export const ACTION_IDS = {
  approve: 'bosun_approve',
  reject: 'bosun_reject',
  rollback: 'bosun_rollback',
  diagnose: 'bosun_diagnose',
} as const;
export type ActionId = (typeof ACTION_IDS)[keyof typeof ACTION_IDS];
