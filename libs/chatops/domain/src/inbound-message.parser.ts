/**
 * The two other ways a command arrives: Slack's slash-command form and the generic
 * webhook's JSON (API.md → Chat). Both only read fields; authentication is the
 * signature check, done before either runs.
 */
export interface InboundCommand {
  /** The chat platform, used to look up the linked identity (`slack`, or the webhook's). */
  platform: string;
  userId: string;
  userName?: string;
  teamId?: string;
  channelId?: string;
  /** The text after the slash command, for the grammar. */
  text: string;
  responseUrl?: string;
  triggerId?: string;
}

export type InboundParse = { ok: true; command: InboundCommand } | { ok: false; reason: 'malformed' | 'missing-field'; detail: string };

const MAX_BODY = 100_000;
const field = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const compact = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/**
 * Slack escapes `&`, `<` and `>` in command text and, with "escape channels, users and
 * links" on, wraps links and mentions as `<target|label>`. The grammar wants what the
 * person typed: labels for wrapped items, literal characters for entities.
 */
export const unescapeSlackText = (text: string): string =>
  text
    .replace(/<([^<>|]*)\|([^<>]*)>/g, '$2')
    .replace(/<([^<>|]*)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** Slack's slash-command POST body (`application/x-www-form-urlencoded`); the text is unescaped. */
export const parseSlashCommandForm = (rawBody: string): InboundParse => {
  if (typeof rawBody !== 'string' || rawBody.length > MAX_BODY) return { ok: false, reason: 'malformed', detail: 'the body is not text of a sane size' };
  const form = new URLSearchParams(rawBody);
  const userId = field(form.get('user_id'));
  if (!userId) return { ok: false, reason: 'missing-field', detail: 'user_id is missing' };
  return {
    ok: true,
    command: compact({
      platform: 'slack', userId, text: unescapeSlackText(form.get('text') ?? ''),
      userName: field(form.get('user_name')), teamId: field(form.get('team_id')), channelId: field(form.get('channel_id')),
      responseUrl: field(form.get('response_url')), triggerId: field(form.get('trigger_id')),
    }),
  };
};

const parseObject = (text: string): Record<string, unknown> | undefined => {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

/** The generic webhook's JSON `{user, channel?, text, responseUrl?}`; its platform is `webhook`. */
export const parseWebhookMessage = (rawBody: string): InboundParse => {
  if (typeof rawBody !== 'string' || rawBody.length > MAX_BODY) return { ok: false, reason: 'malformed', detail: 'the body is not text of a sane size' };
  const body = parseObject(rawBody);
  if (!body) return { ok: false, reason: 'malformed', detail: 'the body is not a JSON object' };
  const user = field(body.user);
  if (!user) return { ok: false, reason: 'missing-field', detail: 'user is missing' };
  if (typeof body.text !== 'string') return { ok: false, reason: 'missing-field', detail: 'text is missing' };
  if (body.channel !== undefined && typeof body.channel !== 'string') return { ok: false, reason: 'malformed', detail: 'channel must be a string' };
  if (body.responseUrl !== undefined && typeof body.responseUrl !== 'string') return { ok: false, reason: 'malformed', detail: 'responseUrl must be a string' };
  return {
    ok: true,
    command: compact({ platform: 'webhook', userId: user, text: body.text, channelId: field(body.channel), responseUrl: field(body.responseUrl) }),
  };
};
