import type { DnsLookupResult } from '@bosun/contracts';
import type { ChecklistEvidence, LookupAnswer } from '@bosun/dns-inspector-domain';
import { buildResolvConf, lintCorefile, serviceFqdn } from '@bosun/dns-inspector-domain';
import { DNS_CONCURRENCY, mapBounded } from '../dns/bounded';
import type { ClusterDns } from '../dns/cluster-dns.locator';
import { DnsClusterReader, selectorOf } from '../dns/cluster.reader';
import type { LookupRunner } from '../lookups/lookup.runner';

/** What the steps share while one checklist runs. */
export interface StepContext {
  reader: DnsClusterReader;
  lookups: LookupRunner;
  /** The cluster DNS, once the kube-dns Service is read (step 2). */
  locate: (e: ChecklistEvidence) => ClusterDns;
  signal?: AbortSignal;
  /** Extra evidence per step id, merged into that step's check (the full lookups, the server asked). */
  extra: Record<string, Record<string, unknown>>;
}

export type Gather = (e: ChecklistEvidence, ctx: StepContext) => Promise<void>;

/** The answer a lookup ends with: the one that answered, else the last query's rcode. */
const answerOf = (typed: string, result: DnsLookupResult): LookupAnswer => {
  const winner = result.queries.find((q) => q.name === result.answeredBy);
  const last = winner ?? result.queries[result.queries.length - 1];
  return { name: typed, rcode: last?.rcode ?? 'TIMEOUT', answers: winner?.answers ?? [], ms: last?.ms };
};

const lookupFrom = (namespace: string, name: string, ctx: StepContext, e: ChecklistEvidence): Promise<DnsLookupResult> =>
  ctx.lookups.lookup({ namespace, name }, ctx.locate(e), ctx.signal);

const dnsPods: Gather = async (e, { reader }) => {
  e.dnsPods = await reader.dnsPods();
};

const dnsService: Gather = async (e, { reader }) => {
  e.dnsService = await reader.dnsService();
  e.dnsEndpointSlices = e.dnsService ? await reader.endpointSlices('kube-system', 'kube-dns') : undefined;
};

/** As `nslookup kubernetes.default` in a pod of the namespace: through its search list. */
const kubernetesDefault: Gather = async (e, ctx) => {
  const [ip, result] = await Promise.all([ctx.reader.kubernetesServiceIP(), lookupFrom(e.namespace, 'kubernetes.default', ctx, e)]);
  e.kubernetesServiceIP = ip;
  e.kubernetesDefault = answerOf('kubernetes.default', result);
  ctx.extra['kubernetes-default'] = { server: result.server, lookup: result };
};

/** The target Service, and its three names as a pod in the namespace types them. */
const serviceNames: Gather = async (e, ctx) => {
  const target = e.target;
  if (!target) return;
  target.service = await ctx.reader.service(target.namespace, target.name);
  if (!target.service) return;
  const forms = [target.name, `${target.name}.${target.namespace}`, serviceFqdn(target.name, target.namespace)];
  const results = await mapBounded(forms, DNS_CONCURRENCY, (form) => lookupFrom(e.namespace, form, ctx, e));
  target.lookups = results.map((r, i) => answerOf(forms[i], r));
  ctx.extra['service-names'] = { lookups: results.map((r, i) => ({ typed: forms[i], answeredBy: r.answeredBy, wasted: r.wasted, queries: r.queries })) };
};

/** The resolv.conf the kubelet writes for a ClusterFirst pod of the namespace (kwok pods have no files to read). */
const resolvConf: Gather = async (e) => {
  const nameserver = e.dnsService?.spec?.clusterIP;
  const built = buildResolvConf({ namespace: e.namespace, clusterDNS: nameserver && nameserver !== 'None' ? [nameserver] : [] });
  if (built.ok) e.resolvConf = { nameservers: built.value.nameservers, searches: built.value.searches, options: built.value.options };
};

const serviceEndpoints: Gather = async (e, { reader }) => {
  const target = e.target;
  if (!target?.service || target.service.spec?.type === 'ExternalName') return;
  target.endpointSlices = await reader.endpointSlices(target.namespace, target.name);
  const selector = target.service.spec?.selector;
  target.selectedPods = selector && Object.keys(selector).length > 0 ? await reader.pods(target.namespace, selectorOf(selector)) : undefined;
};

const corefile: Gather = async (e, { reader }) => {
  const text = await reader.corefile();
  const linted = text === null ? undefined : lintCorefile(text);
  e.corefile = linted?.ok ? { findings: linted.value } : null;
};

/** Evidence for each step, in the checklist's order (one gather per judge of CHECKLIST). */
export const GATHERS: readonly Gather[] = [dnsPods, dnsService, kubernetesDefault, serviceNames, resolvConf, serviceEndpoints, corefile];
