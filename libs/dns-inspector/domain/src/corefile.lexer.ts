// Splits a Corefile (Caddyfile syntax) into lines of tokens: white space separates tokens,
// double quotes group them (with \" inside), `#` at the start of a token comments out the
// rest of the line. `{` and `}` are ordinary tokens here; the parser gives them meaning.

export interface TokenLine {
  line: number;
  tokens: string[];
}

export interface LexProblem {
  line: number;
  message: string;
}

interface LineScan {
  tokens: string[];
  unclosedQuote: boolean;
}

const scanLine = (text: string): LineScan => {
  const tokens: string[] = [];
  let current = '';
  let quoted = false;
  let inToken = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '\\' && text[i + 1] === '"') {
        current += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else current += ch;
      continue;
    }
    if (/\s/.test(ch)) {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
      continue;
    }
    if (ch === '#' && !inToken) break;
    if (ch === '"') quoted = true;
    else current += ch;
    inToken = true;
  }
  if (inToken) tokens.push(current);
  return { tokens, unclosedQuote: quoted };
};

/** Token lines (1-based line numbers), skipping blank and comment-only lines. */
export const lexCorefile = (text: string): { lines: TokenLine[]; problems: LexProblem[] } => {
  const lines: TokenLine[] = [];
  const problems: LexProblem[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const { tokens, unclosedQuote } = scanLine(raw);
    if (unclosedQuote) problems.push({ line: i + 1, message: 'unclosed quote' });
    if (tokens.length > 0) lines.push({ line: i + 1, tokens });
  });
  return { lines, problems };
};
