import { z } from 'zod';
import { dnsLabel } from './common';

// Wire shapes of the dns-inspector's HTTP bodies (API.md "DNS"). The schemas check form;
// the DNS rules that need more than form (name and label lengths, kubelet limits, the
// Corefile grammar) live in @bosun/dns-inspector-domain and come back as field errors with
// the same dotted paths.

const ipAddress = z.union([z.ipv4(), z.ipv6()], { error: 'must be a valid IP address' });
const domainText = z.string().min(1, 'must not be empty').max(1024, 'must be at most 1024 characters');

/** The pod `dnsPolicy` values the API server accepts. */
export const DNS_POLICIES = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'] as const;
export const dnsPolicySchema = z.enum(DNS_POLICIES, { error: `dnsPolicy must be one of ${DNS_POLICIES.join(', ')}` });
export type DnsPolicy = z.infer<typeof dnsPolicySchema>;

/** `pod.spec.dnsConfig`: what a pod adds to (or, with dnsPolicy None, is) its resolv.conf. */
export const podDnsConfigSchema = z.strictObject({
  nameservers: z.array(ipAddress).optional(),
  searches: z.array(domainText).optional(),
  options: z.array(z.strictObject({ name: z.string().min(1, 'option name is required'), value: z.string().optional() })).optional(),
});
export type PodDnsConfig = z.infer<typeof podDnsConfigSchema>;

/** A resolv.conf as the kubelet writes it: options in resolv.conf form (`ndots:5`). */
export const resolvConfSchema = z.strictObject({
  nameservers: z.array(z.string()),
  searches: z.array(z.string()),
  options: z.array(z.string()),
});
export type ResolvConfLines = z.infer<typeof resolvConfSchema>;

export const DNS_CHECK_STATUSES = ['pass', 'warn', 'fail', 'skip'] as const;
export type DnsCheckStatus = (typeof DNS_CHECK_STATUSES)[number];

/** `POST /v1/dns/checks`: the checklist, optionally for one target Service. */
export const dnsChecksRequestSchema = z.strictObject({
  namespace: dnsLabel('namespace').optional(),
  service: dnsLabel('service').optional(),
});
export type DnsChecksRequest = z.infer<typeof dnsChecksRequestSchema>;

export const dnsCheckSchema = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(DNS_CHECK_STATUSES),
  detail: z.string(),
  hint: z.string().optional(),
  evidence: z.record(z.string(), z.unknown()).optional(),
});
export type DnsCheck = z.infer<typeof dnsCheckSchema>;
export const dnsChecksResultSchema = z.object({ checks: z.array(dnsCheckSchema) });
export type DnsChecksResult = z.infer<typeof dnsChecksResultSchema>;

export const DNS_RECORD_TYPES = ['A', 'AAAA', 'SRV', 'CNAME', 'PTR'] as const;
export const dnsRecordTypeSchema = z.enum(DNS_RECORD_TYPES, { error: `type must be one of ${DNS_RECORD_TYPES.join(', ')}` });
export type DnsRecordType = z.infer<typeof dnsRecordTypeSchema>;

/**
 * One name and type with all its values. SRV values are `<port> <target>` (priority and
 * weight are not prescribed by the Kubernetes DNS spec); an empty list means NXDOMAIN.
 */
export const dnsRecordSchema = z.object({ name: z.string(), type: dnsRecordTypeSchema, values: z.array(z.string()) });
export type DnsRecord = z.infer<typeof dnsRecordSchema>;

export const recordMismatchSchema = z.object({
  kind: z.enum(['missing', 'unexpected', 'wrong-values']),
  name: z.string(),
  type: dnsRecordTypeSchema,
  expected: z.array(z.string()).optional(),
  observed: z.array(z.string()).optional(),
  message: z.string(),
});
export type RecordMismatch = z.infer<typeof recordMismatchSchema>;

/** `GET /v1/dns/services/{ns}/{name}/records`. */
export const serviceRecordsParamsSchema = z.strictObject({ ns: dnsLabel('namespace'), name: dnsLabel('name') });
/** What the cluster DNS answered for one name and type: its rcode beside the values (empty unless NOERROR). */
export const observedRecordSchema = dnsRecordSchema.extend({ rcode: z.string().optional() });
export type ObservedRecord = z.infer<typeof observedRecordSchema>;
export const serviceRecordsResultSchema = z.object({
  expected: z.array(dnsRecordSchema),
  observed: z.array(observedRecordSchema),
  mismatches: z.array(recordMismatchSchema),
  /** the DNS server asked (`host:port`) */
  server: z.string().optional(),
});
export type ServiceRecordsResult = z.infer<typeof serviceRecordsResultSchema>;

/** `POST /v1/dns/resolv-conf`: the resolv.conf a pod would get. */
export const resolvConfRequestSchema = z.strictObject({
  namespace: dnsLabel('namespace'),
  dnsPolicy: dnsPolicySchema.optional(),
  dnsConfig: podDnsConfigSchema.optional(),
  hostNetwork: z.boolean().optional(),
  node: z.strictObject({
    nameservers: z.array(z.string()).default([]),
    searches: z.array(z.string()).default([]),
    options: z.array(z.string()).default([]),
  }).optional(),
  clusterDomain: domainText.optional(),
  // One address or the kubelet's list (--cluster-dns takes several).
  clusterDNS: z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(ipAddress)).optional(),
});
export type ResolvConfRequest = z.infer<typeof resolvConfRequestSchema>;
export const resolvConfResultSchema = resolvConfSchema.extend({ warnings: z.array(z.string()) });
export type ResolvConfResult = z.infer<typeof resolvConfResultSchema>;

/** `POST /v1/dns/query-plan`. */
export const queryPlanRequestSchema = z.strictObject({
  name: domainText,
  searches: z.array(domainText).max(64, 'must have at most 64 search domains'),
  ndots: z.number({ error: 'ndots must be a number' }).int('ndots must be an integer').min(0, 'ndots must be 0 or more'),
});
export type QueryPlanRequest = z.infer<typeof queryPlanRequestSchema>;
export const queryPlanResultSchema = z.object({ queries: z.array(z.string()) });
export type QueryPlanResult = z.infer<typeof queryPlanResultSchema>;

export const LINT_SEVERITIES = ['error', 'warning', 'info'] as const;
export type LintSeverity = (typeof LINT_SEVERITIES)[number];

/** `POST /v1/dns/corefile/lint`. */
export const corefileLintRequestSchema = z.strictObject({
  corefile: z.string({ error: 'corefile is required' }).max(1_000_000, 'corefile must be at most 1000000 characters'),
});
export const corefileFindingSchema = z.object({
  severity: z.enum(LINT_SEVERITIES),
  line: z.number().int().optional(),
  rule: z.string(),
  message: z.string(),
  fix: z.string().optional(),
});
export type CorefileFinding = z.infer<typeof corefileFindingSchema>;
export const corefileLintResultSchema = z.object({ findings: z.array(corefileFindingSchema) });
export type CorefileLintResult = z.infer<typeof corefileLintResultSchema>;

/** `POST /v1/dns/lookups`: resolve a name the way a pod in `namespace` would. */
export const dnsLookupRequestSchema = z.strictObject({
  namespace: dnsLabel('namespace'),
  name: domainText,
  type: dnsRecordTypeSchema.optional(),
  dnsPolicy: dnsPolicySchema.optional(),
  dnsConfig: podDnsConfigSchema.optional(),
});
export type DnsLookupRequest = z.infer<typeof dnsLookupRequestSchema>;

/** The answer to one query of a lookup; rcode TIMEOUT when no server answered. */
export const dnsQueryResultSchema = z.object({
  name: z.string(),
  rcode: z.string(),
  answers: z.array(z.string()),
  ms: z.number().nonnegative(),
});
export type DnsQueryResult = z.infer<typeof dnsQueryResultSchema>;
export const dnsLookupResultSchema = z.object({
  queries: z.array(dnsQueryResultSchema),
  answeredBy: z.string().optional(),
  wasted: z.number().int().nonnegative(),
  hint: z.string().optional(),
  /** the resolv.conf the pod gets, whose search list the queries follow */
  resolvConf: resolvConfResultSchema.optional(),
  /** the DNS server asked (`host:port`) */
  server: z.string().optional(),
});
export type DnsLookupResult = z.infer<typeof dnsLookupResultSchema>;

// ---- subjects ----

/** Operation kinds and their command actions (subject `bosun.cmd.dns-inspector.<action>.v1`). */
export const DNS_INSPECTOR_ACTIONS = {
  /** `POST /v1/dns/checks` → payload `dnsChecksRequestSchema`, result `DnsChecksResult`; target `{namespace, kind: 'Service', name: service}`. */
  'dns.checks': 'checks',
} as const;
export type DnsInspectorOperationKind = keyof typeof DNS_INSPECTOR_ACTIONS;
/** The `target.kind` of dns-inspector operations (the Service checked, or none). */
export const DNS_CHECKS_TARGET_KIND = 'Service';

/**
 * Query names (subject `bosun.qry.dns-inspector.<name>.v1`) → params schema / result type:
 * - `validate` `{kind, payload}` → `{fieldErrors: []}` or Invalid (what the gateway asks before accepting `dns.checks`)
 * - `records` `serviceRecordsParamsSchema` → `ServiceRecordsResult` (NotFound when the Service does not exist)
 * - `resolv-conf` `resolvConfRequestSchema` → `ResolvConfResult`
 * - `query-plan` `queryPlanRequestSchema` → `QueryPlanResult`
 * - `corefile-lint` `corefileLintRequestSchema` → `CorefileLintResult`
 * - `lookup` `dnsLookupRequestSchema` → `DnsLookupResult` (Unreachable when the cluster DNS cannot be located)
 */
export const DNS_INSPECTOR_QUERIES = {
  validate: 'validate', records: 'records', resolvConf: 'resolv-conf', queryPlan: 'query-plan', corefileLint: 'corefile-lint', lookup: 'lookup',
} as const;
export type DnsInspectorQueryName = (typeof DNS_INSPECTOR_QUERIES)[keyof typeof DNS_INSPECTOR_QUERIES];
export const dnsValidateParamsSchema = z.object({ kind: z.string().min(1, 'kind is required'), payload: z.unknown() });
