import { DNS_POLICIES, DNS1123_LABEL, type DnsPolicy, type FieldError, type PodDnsConfig } from '@bosun/contracts';
import { dnsNameErrors, withoutTrailingDot } from './dns-name';
import { isIP } from './ip';
import { fieldError } from '@bosun/contracts';
import { MAX_NAMESERVERS, MAX_SEARCH_LINE_CHARS, MAX_SEARCH_PATHS } from './resolv-conf.limits';

// The checks the API server makes of a pod's dnsPolicy and dnsConfig
// (pkg/apis/core/validation, validatePodDNSConfig), with its words and our dotted paths.

export const isDnsPolicy = (value: string): value is DnsPolicy => (DNS_POLICIES as readonly string[]).includes(value);

/** A DNS-1123 subdomain: labels by the one label rule, 253 characters at most. */
export const subdomainErrors = (name: string, path: string): FieldError[] => {
  const lengthErrors = dnsNameErrors(name, path);
  if (lengthErrors.length > 0 || name === '.') return lengthErrors;
  const bad = withoutTrailingDot(name).split('.').some((label) => !DNS1123_LABEL.test(label));
  return bad ? [fieldError(path, `"${name}" must be a DNS-1123 subdomain: lower-case labels of letters, digits and '-', separated by '.'`)] : [];
};

const nameserverErrors = (servers: string[], path: string): FieldError[] => {
  const errors: FieldError[] = [];
  if (servers.length > MAX_NAMESERVERS) errors.push(fieldError(path, `must not have more than ${MAX_NAMESERVERS} nameservers`));
  servers.forEach((s, i) => {
    if (!isIP(s)) errors.push(fieldError(`${path}.${i}`, `must be a valid IP address: "${s}"`));
  });
  return errors;
};

const searchErrors = (searches: string[], path: string): FieldError[] => {
  const errors: FieldError[] = [];
  if (searches.length > MAX_SEARCH_PATHS) errors.push(fieldError(path, `must not have more than ${MAX_SEARCH_PATHS} search paths`));
  if (searches.join(' ').length > MAX_SEARCH_LINE_CHARS) {
    errors.push(fieldError(path, `must not have more than ${MAX_SEARCH_LINE_CHARS} characters (including spaces) in the search list`));
  }
  searches.forEach((s, i) => errors.push(...subdomainErrors(s, `${path}.${i}`)));
  return errors;
};

/** Errors of a pod's dnsPolicy and dnsConfig the API server would refuse. */
export const podDnsErrors = (dnsPolicy: string, dnsConfig: PodDnsConfig | undefined): FieldError[] => {
  if (!isDnsPolicy(dnsPolicy)) {
    return [fieldError('dnsPolicy', `Unsupported value: "${dnsPolicy}": supported values: ${DNS_POLICIES.map((p) => `"${p}"`).join(', ')}`)];
  }
  if (dnsPolicy === 'None' && !dnsConfig) return [fieldError('dnsConfig', 'must provide `dnsConfig` when `dnsPolicy` is None')];
  if (dnsPolicy === 'None' && (dnsConfig?.nameservers ?? []).length === 0) {
    return [fieldError('dnsConfig.nameservers', 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
  }
  const errors = [
    ...nameserverErrors(dnsConfig?.nameservers ?? [], 'dnsConfig.nameservers'),
    ...searchErrors(dnsConfig?.searches ?? [], 'dnsConfig.searches'),
  ];
  (dnsConfig?.options ?? []).forEach((o, i) => {
    if (!o.name) errors.push(fieldError(`dnsConfig.options.${i}.name`, 'Required value'));
  });
  return errors;
};
