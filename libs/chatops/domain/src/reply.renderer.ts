import { type FieldError } from '@bosun/contracts';
import type { Block, SlackMessage } from './block-kit.types';
import { generalUsage, specOf, VERB_SPECS } from './command.grammar';
import type { ComingSoonRequest } from './chat-request.types';
import type { ParseResult, Verb } from './command.types';
import { codeForStatus, hintFor } from './failure-hint.catalog';
import { chunkLines, code, context, esc, section } from './mrkdwn.format';

/** The slash command as users type it; the Slack app manifest registers this name. */
export const SLASH_COMMAND = '/bosun';

const EXAMPLES: Partial<Record<Verb, string>> = {
  deploy: 'deploy team-a/web nginx:1.27 replicas=3 reason="new landing page"',
  'set-image': 'set-image team-a/web nginx:1.27.1',
  rollback: 'rollback team-a/web to=4',
  status: 'status team-a/web',
  scale: 'scale team-a/web 5',
  'dns check': 'dns check team-a/api',
  'dns lookup': 'dns lookup team-a api',
  'pvc why': 'pvc why team-a/data',
  'tenant create': 'tenant create team-b cpu=4 memory=8Gi',
  drain: 'drain worker-2 dry-run',
  autoscalers: 'autoscalers team-a',
  'why-scale': 'why-scale team-a/web',
  approve: 'approve op_01HZX3K9',
};

const ephemeral = (text: string, blocks: Block[]): SlackMessage => ({ response_type: 'ephemeral', text: esc(text), blocks });

const usageLines = (usage: string): string[] => usage.split('\n').map((u) => code(`${SLASH_COMMAND} ${u}`));

/** Every verb with what it does; or, with a topic, that verb's usage and an example. */
export const renderHelp = (topic?: Verb): SlackMessage => {
  if (topic && topic !== 'help') return renderUsage(topic);
  const lines = VERB_SPECS.map((s) => `${code(`${SLASH_COMMAND} ${s.usage}`)} — ${esc(s.summary)}`);
  return ephemeral(`Bosun runs Kubernetes day-2 operations as you. Commands: ${VERB_SPECS.map((s) => s.verb).join(', ')}.`, [
    section('*Bosun* runs Kubernetes day-2 operations *as you*: your own rights, approvals in the channel, an audit trail.'),
    ...chunkLines(lines).map(section),
    context(`Names are ${code('<namespace>/<name>')} in lower case. Quote values with spaces: ${code('reason="hot fix"')}. ${code(`${SLASH_COMMAND} help <command>`)} for one command.`),
  ]);
};

/** One verb's usage line, the reason its input was refused (if any) and an example. */
export const renderUsage = (verb: Verb, reason?: string): SlackMessage => {
  const spec = specOf(verb);
  const example = EXAMPLES[verb];
  const blocks: Block[] = [];
  if (reason) blocks.push(section(`⚠️ ${esc(reason)}`));
  blocks.push(section(`*Usage:* ${code(`${SLASH_COMMAND} ${spec.usage}`)}\n${esc(spec.summary)}`));
  if (example) blocks.push(context(`Example: ${code(`${SLASH_COMMAND} ${example}`)}`));
  const text = reason ? `${reason}. Usage: ${SLASH_COMMAND} ${spec.usage}` : `Usage: ${SLASH_COMMAND} ${spec.usage}`;
  return ephemeral(text, blocks);
};

/** What a refused command gets: its verb's usage, or every verb when the verb was unknown. */
export const renderParseFailure = (failure: Extract<ParseResult, { ok: false }>): SlackMessage => {
  if (failure.verb && failure.usage !== generalUsage()) {
    const blocks: Block[] = [section(`⚠️ ${esc(failure.reason)}`), ...chunkLines(usageLines(failure.usage)).map((u) => section(`*Usage:*\n${u}`))];
    return ephemeral(`${failure.reason}. Usage: ${failure.usage.split('\n').map((u) => `${SLASH_COMMAND} ${u}`).join(' | ')}`, blocks);
  }
  return ephemeral(`${failure.reason}. Try ${SLASH_COMMAND} help.`, [
    section(`⚠️ ${esc(failure.reason)}`),
    ...chunkLines(usageLines(failure.usage)).map(section),
  ]);
};

/** An unlinked chat user learns how to get linked; nothing ran. */
export const renderNotLinked = (platform: string, userId: string): SlackMessage => {
  const path = `PUT /v1/chat-identities/${encodeURIComponent(platform)}/${encodeURIComponent(userId)}`;
  return ephemeral(
    `Nothing ran: your ${platform} user ${userId} is not linked to a Bosun identity yet. Ask a Bosun admin to run ${path} with your subject, e.g. {"subject": "user:<you>"}.`,
    [
      section(`🔗 *Nothing ran*: your ${esc(platform)} user ${code(userId)} is not linked to a Bosun identity yet, and Bosun acts only as a known person.`),
      section(`Ask a Bosun admin to link you:\n\`\`\`${esc(`${path}\n{"subject": "user:<you>", "groups": ["<your-team>"]}`)}\`\`\``),
      context('After that, your commands run with your own Kubernetes rights and are audited under your name.'),
    ],
  );
};

const CAPABILITY_WORDS: Record<string, string> = {
  'dns.checks': 'DNS checks', 'dns.lookup': 'DNS lookups', 'storage.claim-diagnosis': 'claim diagnosis', 'tenant.create': 'tenants',
  'node.list': 'node listing', 'node.drain': 'node draining', 'node.drain-plan': 'drain plans',
  'autoscaler.list': 'autoscalers', 'autoscaler.decisions': 'autoscaler decisions',
};

/** A verb switched off in this Bosun's chat configuration: said plainly, not as an error. */
export const renderComingSoon = (req: ComingSoonRequest): SlackMessage => {
  const what = CAPABILITY_WORDS[req.capability] ?? req.capability;
  return ephemeral(`${SLASH_COMMAND} ${req.verb} is coming: ${what} (the ${req.owner} service) is not running in this Bosun yet. Nothing ran.`, [
    section(`🚧 ${code(`${SLASH_COMMAND} ${req.verb}`)} is coming soon: ${esc(what)} (the ${esc(req.owner)} service) is not running in this Bosun yet.`),
    context(`Nothing ran. ${code(`${SLASH_COMMAND} help`)} lists what works today.`),
  ]);
};

/**
 * The gateway answered that the verb's service (or its route) is not there: 404 without a
 * failure code, 501, or 503. Said plainly, with the gateway's words in brackets.
 */
export const renderNotAnswering = (owner: string, verb: Verb, reason: string): SlackMessage => {
  const line = `the ${owner} service is not answering in this Bosun right now (${reason})`;
  return ephemeral(`${SLASH_COMMAND} ${verb}: ${line}. Nothing ran; try again later or ask an operator.`.slice(0, 2000), [
    section(`🔌 ${code(`${SLASH_COMMAND} ${verb}`)}: ${esc(line)}.`),
    context(`Nothing ran. Try again in a while, or ask an operator to check ${code('GET /v1/status')} (is ${esc(owner)} deployed and ready?).`),
  ]);
};

/** problem+json as the API answers it (API.md → Conventions). */
export interface Problem { type?: string; title: string; status?: number; detail?: string; errors?: FieldError[] }
/** A typed failure as services reply it (`@bosun/contracts` Failure). */
export interface FailureLike { code: string; message: string; fieldErrors?: FieldError[] }

const normalise = (p: Problem | FailureLike): { code?: string; title: string; detail?: string; errors: FieldError[] } =>
  'code' in p
    ? { code: p.code, title: p.code, detail: p.message, errors: p.fieldErrors ?? [] }
    : { code: codeForStatus(p.status), title: p.title, detail: p.detail, errors: p.errors ?? [] };

/** An error from the gateway or a service, relayed in plain words, never as a trace. */
export const renderError = (problem: Problem | FailureLike): SlackMessage => {
  const p = normalise(problem);
  const hint = hintFor(p.code);
  const blocks: Block[] = [section(`❌ *${esc(p.title)}*${p.detail ? `: ${esc(p.detail)}` : ''}`)];
  if (p.errors.length > 0) blocks.push(section(p.errors.slice(0, 20).map((e) => `• ${code(e.path)}: ${esc(e.message)}`).join('\n')));
  if (hint) blocks.push(context(`💡 ${esc(hint)}`));
  const fieldText = p.errors.map((e) => `${e.path}: ${e.message}`).join('; ');
  const text = [p.title, p.detail, fieldText].filter(Boolean).join(' — ');
  return ephemeral(text.slice(0, 2000), blocks);
};
