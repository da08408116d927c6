import { MAX_NAME_LENGTH } from './dns-name';

// The kubelet's limits on the resolv.conf it writes (pkg/kubelet/network/dns/dns.go and
// pkg/apis/core/validation: MaxDNSNameservers, MaxDNSSearchPathsExpanded,
// MaxDNSSearchListCharsExpanded) and the older glibc one the seed warns about (000:5007-5030).
export const MAX_NAMESERVERS = 3;
export const MAX_SEARCH_PATHS = 32;
export const MAX_SEARCH_LINE_CHARS = 2048;
export const OLD_GLIBC_MAX_SEARCH_PATHS = 6;

export interface Limited<T> {
  value: T;
  warnings: string[];
}

/** The first three nameservers; the kubelet drops the rest and records a DNSConfigForming event. */
export const fitNameservers = (servers: string[]): Limited<string[]> => {
  if (servers.length <= MAX_NAMESERVERS) return { value: servers, warnings: [] };
  const kept = servers.slice(0, MAX_NAMESERVERS);
  return {
    value: kept,
    warnings: [`Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${kept.join(' ')} (dropped: ${servers.slice(MAX_NAMESERVERS).join(' ')})`],
  };
};

/** Cuts domains from the end until the joined line fits, as the kubelet does. */
const cutToLineLength = (searches: string[]): string[] => {
  const kept = [...searches];
  while (kept.length > 0 && kept.join(' ').length > MAX_SEARCH_LINE_CHARS) kept.pop();
  return kept;
};

/**
 * At most 32 search paths, none over 253 characters (glibc 2.28 aborts on them), and a
 * search line of at most 2048 characters; beyond 6, a warning for glibc before 2.17-222.
 */
export const fitSearches = (searches: string[]): Limited<string[]> => {
  const capped = searches.slice(0, MAX_SEARCH_PATHS);
  const short = capped.filter((s) => s.length <= MAX_NAME_LENGTH);
  const kept = cutToLineLength(short);
  const warnings: string[] = [];
  if (kept.length !== searches.length) {
    warnings.push(`Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${kept.join(' ')}`);
  }
  if (kept.length > OLD_GLIBC_MAX_SEARCH_PATHS) {
    warnings.push(`${kept.length} search domains: glibc before 2.17-222 uses only the first ${OLD_GLIBC_MAX_SEARCH_PATHS}, so lookups relying on the others fail on old base images (000:5007-5030)`);
  }
  return { value: kept, warnings };
};
