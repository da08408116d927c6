// The pure domain of the dns-inspector: names, resolv.conf, records, the Corefile, the checklist.
export { absolute, dnsNameErrors, dotsIn, MAX_LABEL_LENGTH, MAX_NAME_LENGTH, sameName, withoutTrailingDot } from './dns-name';
export { dashed, isIP, isIPv4, isIPv6, isLoopback, reverseName } from './ip';
export { DEFAULT_NDOTS, MAX_NDOTS, planQueries, type QueryPlan, type QueryPlanInput } from './query.plan';
export { buildResolvConf, CLUSTER_OPTIONS, DEFAULT_CLUSTER_DOMAIN, type ResolvConfInput } from './resolv-conf.builder';
export { MAX_NAMESERVERS, MAX_SEARCH_LINE_CHARS, MAX_SEARCH_PATHS, OLD_GLIBC_MAX_SEARCH_PATHS } from './resolv-conf.limits';
export { ndotsOf, parseResolvConf, renderResolvConf } from './resolv-conf.parser';
export { isDnsPolicy, podDnsErrors, subdomainErrors } from './resolv-conf.validation';
export { expectedRecords, podRecords, serviceFqdn, type RecordOptions } from './service-records';
export { compareRecords } from './records.compare';
export { parseCorefile, type Corefile, type Directive, type ServerBlock } from './corefile.parser';
export { DEFAULT_PORTS, normaliseZone, zoneCovers, type ServerKey } from './corefile.keys';
export { BUILT_IN_DIRECTIVES, COREDNS_PLUGINS, COREDNS_VERSION, ONCE_PER_BLOCK } from './corefile.plugins';
export { lintCorefile, lintParsedCorefile } from './corefile.linter';
export type { LintOptions } from './corefile.lint.context';
export { DEFAULT_KUBERNETES_TTL } from './corefile.rules.kubernetes';
export {
  check, endpointCounts, isPodReady, type ChecklistEvidence, type Judge, type LookupAnswer, type TargetEvidence,
} from './checklist.evidence';
export {
  CHECKLIST, corefileJudge, dnsPodsJudge, dnsServiceJudge, kubernetesDefaultJudge, runChecklist,
} from './checklist.judges';
export { resolvConfJudge, serviceEndpointsJudge, serviceNamesJudge } from './checklist.service.judges';
export { explainLookup, planLookup, type LookupPlan } from './lookup.explainer';
