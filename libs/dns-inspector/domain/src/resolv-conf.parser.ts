import type { ResolvConfLines } from '@bosun/contracts';
import { withoutTrailingDot } from './dns-name';
import { DEFAULT_NDOTS, MAX_NDOTS } from './query.plan';

/**
 * A resolv.conf file as the kubelet reads a node's (dns.go parseResolvConf): `nameserver`
 * lines accumulate, the last `search` and the last `options` line win, `#` starts a
 * comment line, one trailing dot is trimmed from each search domain.
 */
export const parseResolvConf = (text: string): ResolvConfLines => {
  const conf: ResolvConfLines = { nameservers: [], searches: [], options: [] };
  for (const line of text.split('\n')) {
    const [keyword, ...fields] = line.trim().split(/\s+/);
    if (keyword === 'nameserver' && fields[0]) conf.nameservers.push(fields[0]);
    if (keyword === 'search') conf.searches = fields.map(withoutTrailingDot);
    if (keyword === 'options') conf.options = fields;
  }
  return conf;
};

/** The file's text, in the order the kubelet writes it. */
export const renderResolvConf = (conf: ResolvConfLines): string =>
  [
    ...(conf.searches.length > 0 ? [`search ${conf.searches.join(' ')}`] : []),
    ...conf.nameservers.map((ns) => `nameserver ${ns}`),
    ...(conf.options.length > 0 ? [`options ${conf.options.join(' ')}`] : []),
  ].join('\n') + '\n';

/** The `ndots` a resolver applies: the last `ndots:N` option, capped at 15; 1 without one. */
export const ndotsOf = (options: readonly string[]): number => {
  const last = options.filter((o) => o.startsWith('ndots:')).at(-1);
  const n = last === undefined ? Number.NaN : Number.parseInt(last.slice('ndots:'.length), 10);
  return Number.isNaN(n) || n < 0 ? DEFAULT_NDOTS : Math.min(n, MAX_NDOTS);
};
