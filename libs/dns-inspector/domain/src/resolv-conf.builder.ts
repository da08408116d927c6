import { DNS1123_LABEL, type FieldError, type PodDnsConfig, type ResolvConfLines, type ResolvConfResult } from '@bosun/contracts';
import { isIP } from './ip';
import { fail, fieldError, ok, type Result } from '@bosun/contracts';
import { fitNameservers, fitSearches } from './resolv-conf.limits';
import { podDnsErrors, subdomainErrors } from './resolv-conf.validation';
import { withoutTrailingDot } from './dns-name';

export const DEFAULT_CLUSTER_DOMAIN = 'cluster.local';
/** What the kubelet puts in `options` for cluster-first pods (dns.go defaultDNSOptions). */
export const CLUSTER_OPTIONS: readonly string[] = ['ndots:5'];

export interface ResolvConfInput {
  namespace: string;
  /** Default ClusterFirst; validated here because the domain also takes it from pods. */
  dnsPolicy?: string;
  dnsConfig?: PodDnsConfig;
  hostNetwork?: boolean;
  /** The node's resolv.conf (the kubelet's --resolv-conf); unknown when absent. */
  node?: Partial<ResolvConfLines>;
  clusterDomain?: string;
  /** The kubelet's --cluster-dns; absent or empty means the kubelet has none configured. */
  clusterDNS?: string[];
}

const unique = (items: string[]): string[] => [...new Set(items)];

/** resolv.conf options by name: a dnsConfig option replaces the one of the same name in place. */
const mergeOptions = (existing: readonly string[], extra: PodDnsConfig['options'] = []): string[] => {
  const byName = new Map<string, string>();
  for (const option of existing) byName.set(option.split(':')[0], option);
  for (const { name, value } of extra) byName.set(name, value ? `${name}:${value}` : name);
  return [...byName.values()];
};

const inputErrors = (input: ResolvConfInput): FieldError[] => {
  const errors: FieldError[] = [];
  if (!DNS1123_LABEL.test(input.namespace) || input.namespace.length > 63) {
    errors.push(fieldError('namespace', 'namespace must be a DNS-1123 label: lower-case letters, digits and \'-\', starting and ending with a letter or digit'));
  }
  errors.push(...podDnsErrors(input.dnsPolicy ?? 'ClusterFirst', input.dnsConfig));
  if (input.clusterDomain !== undefined && input.clusterDomain !== '') errors.push(...subdomainErrors(input.clusterDomain, 'clusterDomain'));
  (input.clusterDNS ?? []).forEach((ip, i) => {
    if (!isIP(ip)) errors.push(fieldError(`clusterDNS.${i}`, `must be a valid IP address: "${ip}"`));
  });
  return errors;
};

interface Base {
  lines: ResolvConfLines;
  warnings: string[];
}

const hostBase = (input: ResolvConfInput, warnings: string[]): Base => {
  if (!input.node) warnings.push("the node's resolv.conf was not given: the pod inherits whatever the kubelet's --resolv-conf file holds");
  return {
    lines: {
      nameservers: [...(input.node?.nameservers ?? [])],
      // The kubelet trims one trailing dot so `example.com.` and `example.com` count once.
      searches: (input.node?.searches ?? []).map(withoutTrailingDot),
      options: [...(input.node?.options ?? [])],
    },
    warnings,
  };
};

const clusterBase = (input: ResolvConfInput, warnings: string[]): Base => {
  const clusterDNS = input.clusterDNS ?? [];
  if (clusterDNS.length === 0) {
    warnings.push('kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.');
    return hostBase(input, warnings);
  }
  const domain = input.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN;
  const host = hostBase({ ...input, node: input.node ?? {} }, warnings);
  const clusterSearch = domain === '' ? [] : [`${input.namespace}.svc.${domain}`, `svc.${domain}`, domain];
  return {
    lines: { nameservers: [...clusterDNS], searches: unique([...clusterSearch, ...host.lines.searches]), options: [...CLUSTER_OPTIONS] },
    warnings,
  };
};

const base = (input: ResolvConfInput): Base => {
  const warnings: string[] = [];
  switch (input.dnsPolicy ?? 'ClusterFirst') {
    case 'None':
      return { lines: { nameservers: [], searches: [], options: [] }, warnings };
    case 'Default':
      return hostBase(input, warnings);
    case 'ClusterFirst':
      if (!input.hostNetwork) return clusterBase(input, warnings);
      warnings.push('a hostNetwork pod with dnsPolicy ClusterFirst falls back to Default (the node\'s resolv.conf) and cannot resolve cluster names; use ClusterFirstWithHostNet');
      return hostBase(input, warnings);
    default:
      return clusterBase(input, warnings);
  }
};

/**
 * The resolv.conf the kubelet writes for a pod (dns.go GetPodDNS; 000:4629-4638,
 * 004:2190-2230): ClusterFirst (default) → the cluster DNS, `<ns>.svc.<domain>
 * svc.<domain> <domain>` then the node's searches, `ndots:5`; ClusterFirstWithHostNet →
 * the same for hostNetwork pods; Default → the node's resolv.conf (also ClusterFirst on
 * hostNetwork); None → dnsConfig alone. dnsConfig is then appended (duplicates dropped,
 * options replaced by name) and the kubelet's limits applied, each cut as a warning.
 */
export const buildResolvConf = (input: ResolvConfInput): Result<ResolvConfResult> => {
  const errors = inputErrors(input);
  if (errors.length > 0) return fail(errors);
  const { lines, warnings } = base(input);
  const extra = input.dnsConfig ?? {};
  const nameservers = fitNameservers(unique([...lines.nameservers, ...(extra.nameservers ?? [])]));
  const searches = fitSearches(unique([...lines.searches, ...(extra.searches ?? [])]));
  return ok({
    nameservers: nameservers.value,
    searches: searches.value,
    options: mergeOptions(lines.options, extra.options),
    warnings: [...warnings, ...nameservers.warnings, ...searches.warnings],
  });
};
