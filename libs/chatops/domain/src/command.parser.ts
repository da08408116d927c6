import { generalUsage, VERB_SPECS, type CommandArgs, type VerbSpec } from './command.grammar';
import type { ParseResult, Verb } from './command.types';
import { tokenize, type Token } from './command.tokenizer';

// kubectl plugin dispatch: the longest verb path that prefixes the words wins, so
// `dns check x` is `dns check` with argument x, never `dns` with arguments `check x`.
const BY_LENGTH = [...VERB_SPECS].sort((a, b) => b.path.length - a.path.length);

// kubectl accepts `foo_bar` for a `foo-bar` plugin; people type both, so do we.
const verbWord = (t: Token): string => t.value.toLowerCase().replace(/_/g, '-');

/** Finds the verb at the start of `tokens`, longest path first. */
export const matchVerb = (tokens: readonly Token[]): VerbSpec | undefined => {
  const words = tokens.map(verbWord);
  return BY_LENGTH.find((s) => s.path.length <= words.length && s.path.every((w, i) => words[i] === w));
};

const OPTION_KEY = /^[a-z][a-z0-9-]*$/i;

const describeOptions = (spec: VerbSpec): string =>
  spec.options.length === 0
    ? `${spec.verb} takes no options`
    : `${spec.verb} accepts ${spec.options.map((o) => `${o}=`).join(', ')}`;

type SplitResult = { ok: true; args: CommandArgs } | { ok: false; reason: string };

/** Separates `key=value` options (key typed unquoted) from positional words. */
const splitArgs = (spec: VerbSpec, tokens: readonly Token[]): SplitResult => {
  const positional: string[] = [];
  const options = new Map<string, string>();
  for (const t of tokens) {
    const key = t.eqIndex > 0 ? t.value.slice(0, t.eqIndex) : '';
    if (!OPTION_KEY.test(key)) {
      positional.push(t.value);
      continue;
    }
    const name = key.toLowerCase();
    if (!spec.options.includes(name)) return { ok: false, reason: `unknown option "${key}" (${describeOptions(spec)})` };
    if (options.has(name)) return { ok: false, reason: `option "${name}" is given twice` };
    options.set(name, t.value.slice(t.eqIndex + 1));
  }
  return { ok: true, args: { positional, options } };
};

const checkArity = (spec: VerbSpec, count: number): string | undefined => {
  if (count < spec.required) return `missing ${spec.params[count]}`;
  if (count > spec.params.length) {
    return spec.params.length === 0 ? `${spec.verb} takes no arguments` : `too many arguments (expected ${spec.params.join(' ')})`;
  }
  return undefined;
};

const failVerb = (spec: VerbSpec, reason: string): ParseResult => ({ ok: false, usage: spec.usage, reason, verb: spec.verb });

const parseHelp = (rest: readonly Token[]): ParseResult => {
  if (rest.length === 0) return { ok: true, command: { verb: 'help' } };
  const topic = matchVerb(rest);
  if (topic && topic.path.length === rest.length) return { ok: true, command: { verb: 'help', topic: topic.verb } };
  return { ok: false, usage: generalUsage(), reason: `there is no command "${rest.map((t) => t.value).join(' ')}"`, verb: 'help' };
};

const levenshtein = (a: string, b: string): number => {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
};

const suggestion = (typed: string): string => {
  if (typed.length > 20) return '';
  const scored = VERB_SPECS.map((s) => ({ verb: s.verb, d: levenshtein(typed, s.verb.replace(' ', '-')) }));
  const best = scored.sort((a, b) => a.d - b.d)[0];
  return best && best.d <= 2 ? `; did you mean "${best.verb}"?` : '';
};

/** No verb matched: a known first word of a multi-word verb gets those verbs' usage. */
const unknownVerb = (tokens: readonly Token[]): ParseResult => {
  const first = verbWord(tokens[0]);
  const family = VERB_SPECS.filter((s) => s.path.length > 1 && s.path[0] === first);
  if (family.length > 0) {
    const subs = family.map((s) => s.path.slice(1).join(' ')).join(', ');
    const typed = tokens[1] ? `unknown ${first} command "${tokens[1].value}"; ` : '';
    return {
      ok: false, usage: family.map((s) => s.usage).join('\n'), verb: family[0].verb as Verb,
      reason: `${typed}${first} needs one of: ${subs}`,
    };
  }
  const shown = tokens[0].value.length > 40 ? `${tokens[0].value.slice(0, 37)}...` : tokens[0].value;
  return { ok: false, usage: generalUsage(), reason: `unknown command "${shown}"${suggestion(first)}` };
};

/**
 * Parses the text after `/bosun` into a validated command. Never throws: anything it
 * cannot understand comes back as the usage to show and the reason in plain words.
 */
export const parseCommand = (text: string): ParseResult => {
  const tokenized = tokenize(text);
  if (!tokenized.ok) {
    const known = matchVerb(tokenized.tokens);
    return known ? failVerb(known, tokenized.reason) : { ok: false, usage: generalUsage(), reason: tokenized.reason };
  }
  const { tokens } = tokenized;
  if (tokens.length === 0) return { ok: true, command: { verb: 'help' } };
  const spec = matchVerb(tokens);
  if (!spec) return unknownVerb(tokens);
  const rest = tokens.slice(spec.path.length);
  if (spec.verb === 'help') return parseHelp(rest);
  const split = splitArgs(spec, rest);
  if (!split.ok) return failVerb(spec, split.reason);
  const arity = checkArity(spec, split.args.positional.length);
  if (arity) return failVerb(spec, arity);
  const built = spec.build(split.args);
  return built.ok ? { ok: true, command: built.value } : failVerb(spec, built.reason);
};
