import { fail, fieldError, ok, type Result } from '@bosun/contracts';
import { lexCorefile, type LexProblem, type TokenLine } from './corefile.lexer';
import { parseServerKey, type ServerKey } from './corefile.keys';

/** One plugin line (`forward . /etc/resolv.conf`) or one line of its block (`max_concurrent 1000`). */
export interface Directive {
  name: string;
  args: string[];
  line: number;
  block: Directive[];
}

/** `zone1 zone2:port { … }`: the zones it serves and its plugins, in file order. */
export interface ServerBlock {
  keys: ServerKey[];
  line: number;
  directives: Directive[];
}

export interface Corefile {
  blocks: ServerBlock[];
  /** Syntax problems the parser recovered from; CoreDNS refuses to start on any of them. */
  problems: LexProblem[];
}

class Cursor {
  private index = 0;
  readonly problems: LexProblem[] = [];

  constructor(private readonly lines: TokenLine[]) {}

  next(): TokenLine | undefined {
    return this.lines[this.index++];
  }

  peek(): TokenLine | undefined {
    return this.lines[this.index];
  }
}

const opensBlock = (tokens: string[]): boolean => tokens.at(-1) === '{';
const closesBlock = (tokens: string[]): boolean => tokens.length === 1 && tokens[0] === '}';

/** Lines up to the `}` that closes the block opened at `openLine` (or the end of the file). */
const parseBody = (cursor: Cursor, openLine: number | undefined): Directive[] => {
  const directives: Directive[] = [];
  for (let line = cursor.next(); line; line = cursor.next()) {
    if (closesBlock(line.tokens)) return directives;
    const tokens = opensBlock(line.tokens) ? line.tokens.slice(0, -1) : line.tokens;
    const [name, ...args] = tokens;
    if (name === undefined || name === '}' || name === '{') {
      cursor.problems.push({ line: line.line, message: `unexpected '${line.tokens[0]}'` });
      continue;
    }
    const block = opensBlock(line.tokens) ? parseBody(cursor, line.line) : [];
    directives.push({ name, args, line: line.line, block });
  }
  if (openLine !== undefined) cursor.problems.push({ line: openLine, message: "'{' is never closed with '}'" });
  return directives;
};

/** Server block keys, which may continue on the next line after a trailing comma. */
const readKeys = (first: TokenLine, cursor: Cursor): { keys: string[]; braced: boolean } => {
  const keys: string[] = [];
  let line: TokenLine | undefined = first;
  while (line) {
    const braced = opensBlock(line.tokens);
    const tokens = braced ? line.tokens.slice(0, -1) : line.tokens;
    keys.push(...tokens.flatMap((t) => t.split(',')).filter((k) => k.length > 0));
    const continues = !braced && (tokens.at(-1) ?? '').endsWith(',');
    if (!continues) {
      // The opening brace may stand alone on the next line.
      const brace = !braced && cursor.peek()?.tokens.join(' ') === '{';
      if (brace) cursor.next();
      return { keys, braced: braced || brace };
    }
    line = cursor.next();
  }
  return { keys, braced: false };
};

const isSnippet = (tokens: string[]): boolean => /^\(.+\)$/.test(tokens[0] ?? '');

const parseTop = (cursor: Cursor, snippets: Map<string, Directive[]>): ServerBlock[] => {
  const blocks: ServerBlock[] = [];
  for (let line = cursor.next(); line; line = cursor.next()) {
    if (isSnippet(line.tokens)) {
      snippets.set(line.tokens[0].slice(1, -1), opensBlock(line.tokens) ? parseBody(cursor, line.line) : []);
      continue;
    }
    if (closesBlock(line.tokens)) {
      cursor.problems.push({ line: line.line, message: "unexpected '}': no block is open" });
      continue;
    }
    const { keys, braced } = readKeys(line, cursor);
    // Without braces the rest of the file is the one server block (Caddyfile allows it then).
    const directives = parseBody(cursor, braced ? line.line : undefined);
    blocks.push({ keys: keys.map((k) => parseServerKey(k, line.line)), line: line.line, directives });
  }
  return blocks;
};

/** `import name` lines take the snippet's directives (keeping the snippet's line numbers). */
const expandImports = (directives: Directive[], snippets: Map<string, Directive[]>): Directive[] =>
  directives.flatMap((d) => (d.name === 'import' && d.args.length === 1 && snippets.has(d.args[0]) ? snippets.get(d.args[0]) ?? [] : [d]));

/**
 * Parses a Corefile: server blocks (`zone1 zone2:port {`), their zones and ports (53 by
 * default), plugins with arguments and nested blocks, `#` comments, snippets and
 * `import`, each with its line. Only an empty Corefile fails; syntax problems are kept in
 * `problems` so a linter can report them all with their lines.
 */
export const parseCorefile = (text: string): Result<Corefile> => {
  const { lines, problems } = lexCorefile(text);
  if (lines.length === 0) return fail([fieldError('corefile', 'corefile must not be empty (only blank lines and comments)')]);
  const cursor = new Cursor(lines);
  const snippets = new Map<string, Directive[]>();
  const blocks = parseTop(cursor, snippets).map((b) => ({ ...b, directives: expandImports(b.directives, snippets) }));
  return ok({ blocks, problems: [...problems, ...cursor.problems].sort((a, b) => a.line - b.line) });
};
