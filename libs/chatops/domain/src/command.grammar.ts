import type { ChatCommand, DeploymentRefVerb, OperationIdVerb, Verb } from './command.types';
import { checkCount, checkImage, checkOperationId, checkRef, optional, type Checked } from './name.validators';
import {
  buildAutoscalers, buildDnsCheck, buildDnsLookup, buildDrain, buildPvcWhy, buildTenantCreate, buildWhyScale,
} from './service-verb.builders';

/** Positional words and `key=value` options of one command, after the verb. */
export interface CommandArgs {
  positional: string[];
  options: ReadonlyMap<string, string>;
}

export interface VerbSpec {
  verb: Verb;
  /** The verb's words, lower-case (`['dns', 'check']`), matched longest first. */
  path: readonly string[];
  usage: string;
  summary: string;
  /** Placeholders of the positional arguments; those from `required` on are optional. */
  params: readonly string[];
  required: number;
  options: readonly string[];
  build(args: CommandArgs): Checked<ChatCommand>;
}

/** Same ceiling as the deploy request schema, so chat and API refuse the same numbers. */
export const MAX_REPLICAS = 10000;
const MAX_REASON = 1024;

type Cmd = Checked<ChatCommand>;


const checkReason = (value: string): Checked<string> => {
  const trimmed = value.trim();
  if (trimmed === '') return { ok: false, reason: 'reason is empty; leave it out or say why in quotes' };
  if (trimmed.length > MAX_REASON) return { ok: false, reason: `reason is longer than ${MAX_REASON} characters` };
  return { ok: true, value: trimmed };
};

const buildDeploy = ({ positional: [target, image], options }: CommandArgs): Cmd => {
  const ref = checkRef(target);
  if (!ref.ok) return ref;
  const img = checkImage(image);
  if (!img.ok) return img;
  const replicas = optional(options.get('replicas'), (v) => checkCount('replicas', v, 0, MAX_REPLICAS));
  if (!replicas.ok) return replicas;
  const reason = optional(options.get('reason'), checkReason);
  if (!reason.ok) return reason;
  const cmd: ChatCommand = { verb: 'deploy', ...ref.value, image: img.value };
  if (replicas.value !== undefined) cmd.replicas = replicas.value;
  if (reason.value !== undefined) cmd.reason = reason.value;
  return { ok: true, value: cmd };
};

const buildSetImage = ({ positional: [target, image] }: CommandArgs): Cmd => {
  const ref = checkRef(target);
  if (!ref.ok) return ref;
  const img = checkImage(image);
  return img.ok ? { ok: true, value: { verb: 'set-image', ...ref.value, image: img.value } } : img;
};

const buildRollback = ({ positional: [target], options }: CommandArgs): Cmd => {
  const ref = checkRef(target);
  if (!ref.ok) return ref;
  const to = optional(options.get('to'), (v) => checkCount('to (the revision)', v, 1, 1_000_000_000));
  if (!to.ok) return to;
  const cmd: ChatCommand = { verb: 'rollback', ...ref.value };
  if (to.value !== undefined) cmd.toRevision = to.value;
  return { ok: true, value: cmd };
};

const buildScale = ({ positional: [target, count] }: CommandArgs): Cmd => {
  const ref = checkRef(target);
  if (!ref.ok) return ref;
  const replicas = checkCount('replicas', count, 0, MAX_REPLICAS);
  return replicas.ok ? { ok: true, value: { verb: 'scale', ...ref.value, replicas: replicas.value } } : replicas;
};

const buildRefVerb = (verb: DeploymentRefVerb) => ({ positional: [target] }: CommandArgs): Cmd => {
  const ref = checkRef(target);
  return ref.ok ? { ok: true, value: { verb, ...ref.value } } : ref;
};

const buildOperationIdVerb = (verb: OperationIdVerb) => ({ positional: [id] }: CommandArgs): Cmd => {
  const checked = checkOperationId(id);
  return checked.ok ? { ok: true, value: { verb, operationId: checked.value } } : checked;
};

const REF = '<ns>/<name>';

const spec = (
  verb: Verb, params: readonly string[], required: number, options: readonly string[],
  summary: string, build: VerbSpec['build'], usageTail = '',
): VerbSpec => ({
  verb, path: verb.split(' '), params, required, options, summary, build,
  usage: [verb, ...params.map((p, i) => (i < required ? p : `[${p}]`))].join(' ') + usageTail,
});

const refVerb = (verb: DeploymentRefVerb, summary: string): VerbSpec =>
  spec(verb, [REF], 1, [], summary, buildRefVerb(verb));

const idVerb = (verb: OperationIdVerb, summary: string): VerbSpec =>
  spec(verb, ['<id>'], 1, [], summary, buildOperationIdVerb(verb));

/** Every verb of API.md → Chat → Grammar, in the order help lists them. */
export const VERB_SPECS: readonly VerbSpec[] = [
  spec('help', ['<command>'], 0, [], 'show this list, or how to use one command', () => ({ ok: true, value: { verb: 'help' } })),
  spec('deploy', [REF, '<image>'], 2, ['replicas', 'reason'], 'create or update a Deployment and follow its rollout',
    buildDeploy, ' [replicas=N] [reason="…"]'),
  spec('set-image', [REF, '<image>'], 2, [], 'change the image of a Deployment', buildSetImage),
  spec('rollback', [REF], 1, ['to'], 'go back to the previous revision, or to revision N', buildRollback, ' [to=N]'),
  refVerb('status', 'show replicas, images and rollout state'),
  refVerb('history', 'list revisions with their change causes'),
  refVerb('pause', 'pause a rollout'),
  refVerb('resume', 'resume a paused rollout'),
  refVerb('restart', 'restart every pod of a Deployment, one rollout'),
  spec('scale', [REF, '<N>'], 2, [], 'set the number of replicas', buildScale),
  refVerb('diagnose', 'explain why pods are not healthy, with hints'),
  spec('dns check', ['<ns>/<svc>'], 0, [], 'run the cluster DNS checklist, step by step with hints', buildDnsCheck),
  spec('dns lookup', ['<ns>', '<name>'], 2, ['type'], 'resolve a name as a pod in <ns> would: every query, which one answered',
    buildDnsLookup, ' [type=A|AAAA|SRV|CNAME|PTR]'),
  spec('pvc why', ['<ns>/<claim>'], 1, [], 'explain why a PersistentVolumeClaim is not bound', buildPvcWhy),
  spec('tenant create', ['<name>'], 1, ['cpu', 'memory'], 'create a namespace with quota, limits and access',
    buildTenantCreate, ' [cpu=…] [memory=…]'),
  spec('nodes', [], 0, [], 'list the nodes: ready, cordoned, taints, pods, allocatable', () => ({ ok: true, value: { verb: 'nodes' } })),
  spec('drain', ['<node>', 'dry-run'], 1, [], 'cordon a node and evict its pods; dry-run shows the plan and what blocks it', buildDrain),
  spec('autoscalers', ['<ns>'], 0, [], 'list the autoscalers: target, replicas, limits and troubled conditions', buildAutoscalers),
  spec('why-scale', [REF], 1, [], 'explain the last decisions of the autoscaler of a workload', buildWhyScale),
  idVerb('op', 'show an operation'),
  idVerb('approve', 'approve an operation that awaits approval'),
  idVerb('reject', 'reject an operation that awaits approval'),
];

export const specOf = (verb: Verb): VerbSpec => VERB_SPECS.find((s) => s.verb === verb) ?? VERB_SPECS[0];

/** The general usage: every verb's line, for unknown commands and `help`. */
export const generalUsage = (): string => VERB_SPECS.map((s) => s.usage).join('\n');
