/**
 * The slice of Slack Block Kit that Bosun's messages use, as plain types so the domain
 * needs no SDK. Field names are Slack's (snake_case) because these objects are sent as is.
 */
export interface PlainText { type: 'plain_text'; text: string; emoji?: boolean }
export interface Mrkdwn { type: 'mrkdwn'; text: string }
export type TextObject = PlainText | Mrkdwn;

export interface ConfirmDialog { title: PlainText; text: TextObject; confirm: PlainText; deny: PlainText; style?: 'primary' | 'danger' }

export interface ButtonElement {
  type: 'button';
  text: PlainText;
  action_id: string;
  value: string;
  style?: 'primary' | 'danger';
  confirm?: ConfirmDialog;
}

export interface HeaderBlock { type: 'header'; text: PlainText }
export interface SectionBlock { type: 'section'; text?: TextObject; fields?: TextObject[] }
export interface ContextBlock { type: 'context'; elements: TextObject[] }
export interface ActionsBlock { type: 'actions'; block_id?: string; elements: ButtonElement[] }
export interface DividerBlock { type: 'divider' }
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
