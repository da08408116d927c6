/**
 * Response URLs arrive in requests, so fetching them blindly would make Bosun a
 * request-forgery proxy. Only URLs whose scheme, host and port match an allow-list
 * entry pass, and only in the canonical spelling a URL parser would produce, so that
 * no two parsers can disagree about where the request goes.
 */

/** Slack's hooks host over HTTPS: what production allows. */
export const DEFAULT_RESPONSE_URL_ALLOW_LIST: readonly string[] = ['https://hooks.slack.com'];
/** Loopback on any port: what the local stack of `npm run up` adds for demos and tests. */
export const LOOPBACK_RESPONSE_URL_ALLOW_LIST: readonly string[] = ['http://127.0.0.1:*', 'http://localhost:*', 'http://[::1]:*'];

export type ResponseUrlCheck =
  | { ok: true; /** The canonical URL: fetch this, not the string received. */ url: string }
  | { ok: false; reason: string };

interface Entry { protocol: string; host: string; port: string | '*' }

const ENTRY = /^(https?):\/\/([a-z0-9.-]+|\[[0-9a-f:.]+\])(?::(\*|\d{1,5}))?\/?$/i;
const DEFAULT_PORT: Record<string, string> = { 'http:': '80', 'https:': '443' };
const MAX_URL_LENGTH = 2048;

/** Entries that do not parse allow nothing, rather than something unexpected. */
const parseEntry = (raw: string): Entry | undefined => {
  const m = ENTRY.exec(raw.trim());
  if (!m) return undefined;
  const protocol = `${m[1].toLowerCase()}:`;
  const port = m[3] === undefined || m[3] === DEFAULT_PORT[protocol] ? '' : m[3];
  return { protocol, host: m[2].toLowerCase(), port };
};

const parseUrl = (raw: string): URL | undefined => {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
};

/** The authority as typed, between `//` and the first `/`, `?` or `#`. */
const typedAuthority = (raw: string): string => {
  const rest = raw.slice(raw.indexOf('//') + 2);
  const end = rest.search(/[/?#]/);
  return (end < 0 ? rest : rest.slice(0, end)).toLowerCase();
};

const shapeProblem = (raw: unknown): string | undefined => {
  if (typeof raw !== 'string' || raw === '') return 'no response URL was given';
  if (raw.length > MAX_URL_LENGTH) return 'the response URL is too long';
  // Backslashes, spaces and control characters are where URL parsers disagree.
  if (/[\\\s\u0000-\u001f\u007f]/.test(raw)) return 'the response URL contains spaces, backslashes or control characters';
  if (!/^https?:\/\//i.test(raw)) return 'the response URL must start with https:// (or http:// where allowed)';
  return undefined;
};

const urlProblem = (url: URL, raw: string): string | undefined => {
  if (url.username || url.password || typedAuthority(raw).includes('@')) return 'the response URL must not carry a user name or password';
  // Rejects decimal/hex IPs, percent-encoding, trailing dots, IDN tricks: the typed
  // host must already be the canonical one.
  const authority = typedAuthority(raw);
  const defaultPort = `:${DEFAULT_PORT[url.protocol]}`;
  const typed = authority.endsWith(defaultPort) ? authority.slice(0, -defaultPort.length) : authority;
  if (typed !== url.host) return `the response URL's host is not written in canonical form (${url.host})`;
  return undefined;
};

const matches = (url: URL, e: Entry): boolean =>
  url.protocol === e.protocol && url.hostname === e.host && (e.port === '*' || url.port === e.port);

export const checkResponseUrl = (raw: string, allowList: readonly string[]): ResponseUrlCheck => {
  const shape = shapeProblem(raw);
  if (shape) return { ok: false, reason: shape };
  const url = parseUrl(raw);
  if (!url) return { ok: false, reason: 'the response URL is not a valid URL' };
  const problem = urlProblem(url, raw);
  if (problem) return { ok: false, reason: problem };
  const entries = allowList.map(parseEntry).filter((e): e is Entry => e !== undefined);
  if (!entries.some((e) => matches(url, e))) {
    return { ok: false, reason: `${url.protocol}//${url.host} is not on the response URL allow-list` };
  }
  return { ok: true, url: url.href };
};

export const isAllowedResponseUrl = (url: string, allowList: readonly string[]): boolean =>
  checkResponseUrl(url, allowList).ok;
