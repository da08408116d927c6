import { ACTION_IDS } from './block-kit.types';
import type { ChatCommand } from './command.types';
import { checkOperationId, checkRef, type Checked } from './name.validators';

/** One button press from a Slack `block_actions` payload: what the app needs, nothing more. */
export interface BlockAction {
  userId: string;
  userName?: string;
  teamId?: string;
  actionId: string;
  value: string;
  responseUrl: string;
  channelId?: string;
  messageTs?: string;
  triggerId?: string;
}

export type InteractionFailureReason = 'malformed' | 'unsupported-type' | 'missing-field';
export type InteractionParse =
  | { ok: true; interaction: BlockAction }
  | { ok: false; reason: InteractionFailureReason; detail: string };

// Slack payloads carry the whole message the button was on; a megabyte is plenty.
const MAX_PAYLOAD = 1_000_000;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (o: unknown, key: string): string | undefined => {
  const v = isObject(o) ? o[key] : undefined;
  return typeof v === 'string' && v !== '' ? v : undefined;
};
const missing = (field: string): InteractionParse => ({ ok: false, reason: 'missing-field', detail: `${field} is missing` });

const parseJson = (text: string): { ok: true; value: unknown } | { ok: false } => {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
};

/** Bosun's buttons are buttons; a select menu's choice is read the same way for later use. */
const actionValue = (action: Json): string | undefined => str(action, 'value') ?? str(action.selected_option, 'value');

/** The first action: Slack sends one per button press. */
const readAction = (p: Json): { actionId: string; value: string } | { missingField: string } => {
  const action: unknown = Array.isArray(p.actions) ? p.actions[0] : undefined;
  if (!isObject(action)) return { missingField: 'actions[0]' };
  const actionId = str(action, 'action_id');
  if (!actionId) return { missingField: 'actions[0].action_id' };
  const value = actionValue(action);
  return value === undefined ? { missingField: 'actions[0].value' } : { actionId, value };
};

const optional = (entries: [keyof BlockAction, string | undefined][]): Partial<BlockAction> =>
  Object.fromEntries(entries.filter(([, v]) => v !== undefined));

/** Reads a Slack `block_actions` payload (the JSON in the `payload=` form field). */
export const parseInteraction = (payloadJson: string): InteractionParse => {
  if (typeof payloadJson !== 'string' || payloadJson.length > MAX_PAYLOAD) return { ok: false, reason: 'malformed', detail: 'the payload is not text of a sane size' };
  const parsed = parseJson(payloadJson);
  if (!parsed.ok || !isObject(parsed.value)) return { ok: false, reason: 'malformed', detail: 'the payload is not a JSON object' };
  const p = parsed.value;
  if (p.type !== 'block_actions') return { ok: false, reason: 'unsupported-type', detail: `interaction type ${JSON.stringify(String(p.type ?? ''))} is not handled` };
  const userId = str(p.user, 'id');
  if (!userId) return missing('user.id');
  const action = readAction(p);
  if ('missingField' in action) return missing(action.missingField);
  const { actionId, value } = action;
  const responseUrl = str(p, 'response_url');
  if (!responseUrl) return missing('response_url');
  const rest = optional([
    ['userName', str(p.user, 'username') ?? str(p.user, 'name')],
    ['teamId', str(p.team, 'id') ?? str(p.user, 'team_id')],
    ['channelId', str(p.channel, 'id') ?? str(p.container, 'channel_id')],
    ['messageTs', str(p.container, 'message_ts')],
    ['triggerId', str(p, 'trigger_id')],
  ]);
  return { ok: true, interaction: { userId, actionId, value, responseUrl, ...rest } };
};

/** Reads the `application/x-www-form-urlencoded` body Slack posts to the interactions URL. */
export const parseInteractionForm = (rawBody: string): InteractionParse => {
  if (typeof rawBody !== 'string') return { ok: false, reason: 'malformed', detail: 'the body is not text' };
  const payload = new URLSearchParams(rawBody).get('payload');
  return payload === null ? missing('payload') : parseInteraction(payload);
};

/**
 * A button press becomes the same command a typed message would, validated the same
 * way: button values come back from the client and are as untrusted as typed text.
 */
export const interactionToCommand = (action: Pick<BlockAction, 'actionId' | 'value'>): Checked<ChatCommand> => {
  const fromRef = (verb: 'rollback' | 'diagnose'): Checked<ChatCommand> => {
    const ref = checkRef(action.value);
    return ref.ok ? { ok: true, value: { verb, ...ref.value } } : ref;
  };
  const fromId = (verb: 'approve' | 'reject'): Checked<ChatCommand> => {
    const id = checkOperationId(action.value);
    return id.ok ? { ok: true, value: { verb, operationId: id.value } } : id;
  };
  switch (action.actionId) {
    case ACTION_IDS.approve: return fromId('approve');
    case ACTION_IDS.reject: return fromId('reject');
    case ACTION_IDS.rollback: return fromRef('rollback');
    case ACTION_IDS.diagnose: return fromRef('diagnose');
    default: return { ok: false, reason: `unknown action ${JSON.stringify(action.actionId.slice(0, 64))}` };
  }
};
