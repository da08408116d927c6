/**
 * Splits chat text into words the way a shell would, minus the surprises: double quotes
 * group words (Slack's clients turn `"` into “ ” as people type, so those count too),
 * a backslash inside quotes escapes the next quote or backslash, and outside quotes it
 * is just a character (image references and Windows-ish text stay intact).
 */
export interface Token {
  value: string;
  /** Index in `value` of the first `=` typed outside quotes; -1 when there is none. */
  eqIndex: number;
  /** True when any part of the word was quoted. */
  quoted: boolean;
}

/** A failure still carries the words read so far, so the verb's own usage can be shown. */
export type TokenizeResult = { ok: true; tokens: Token[] } | { ok: false; reason: string; tokens: Token[] };

/** Long enough for any real command; Slack caps slash-command text well below this. */
export const MAX_COMMAND_LENGTH = 4000;

const QUOTES = new Set(['"', '\u201c', '\u201d']);
const WHITESPACE = /\s/u;

interface State {
  tokens: Token[];
  current: Token | null;
  inQuote: boolean;
  escaped: boolean;
}

const word = (s: State): Token => (s.current ??= { value: '', eqIndex: -1, quoted: false });

const endWord = (s: State): void => {
  if (s.current) s.tokens.push(s.current);
  s.current = null;
};

const quotedChar = (s: State, ch: string): void => {
  const w = word(s);
  if (s.escaped) {
    // Only quotes and backslashes are escapable; anything else keeps its backslash.
    w.value += QUOTES.has(ch) || ch === '\\' ? ch : `\\${ch}`;
    s.escaped = false;
  } else if (ch === '\\') {
    s.escaped = true;
  } else if (QUOTES.has(ch)) {
    s.inQuote = false;
  } else {
    w.value += ch;
  }
};

const plainChar = (s: State, ch: string): void => {
  if (WHITESPACE.test(ch)) return endWord(s);
  const w = word(s);
  if (QUOTES.has(ch)) {
    s.inQuote = true;
    w.quoted = true;
    return;
  }
  if (ch === '=' && w.eqIndex < 0) w.eqIndex = w.value.length;
  w.value += ch;
};

export const tokenize = (text: string): TokenizeResult => {
  if (typeof text !== 'string') return { ok: false, reason: 'the command must be text', tokens: [] };
  if (text.length > MAX_COMMAND_LENGTH) {
    return { ok: false, reason: `the command is longer than ${MAX_COMMAND_LENGTH} characters`, tokens: [] };
  }
  const s: State = { tokens: [], current: null, inQuote: false, escaped: false };
  for (const ch of text) {
    if (s.inQuote) quotedChar(s, ch);
    else plainChar(s, ch);
  }
  endWord(s);
  if (s.inQuote) return { ok: false, reason: 'a quote was opened but never closed', tokens: s.tokens };
  return { ok: true, tokens: s.tokens };
};
