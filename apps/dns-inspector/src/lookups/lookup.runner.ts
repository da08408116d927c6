import type { DnsLookupRequest, DnsLookupResult, DnsQueryResult, DnsRecordType } from '@bosun/contracts';
import { explainLookup, isIP, planLookup, reverseName } from '@bosun/dns-inspector-domain';
import { invalid } from '@bosun/service-kit';
import type { ClusterDns } from '../dns/cluster-dns.locator';
import type { DnsClient } from '../dns/dns.client';

/** A lookup's whole budget: past it no further name of the search list is tried (the query answers in time). */
export const LOOKUP_BUDGET_MS = 8000;

export type LookupOutcome = DnsLookupResult & Required<Pick<DnsLookupResult, 'resolvConf' | 'server'>>;

const answered = (q: DnsQueryResult): boolean => q.rcode === 'NOERROR' && q.answers.length > 0;

/** A PTR lookup of an address asks its reverse name, absolute, as `nslookup <ip>` in a pod does. */
export const nameToAsk = (request: Pick<DnsLookupRequest, 'name' | 'type'>): string => {
  const reverse = request.type === 'PTR' && isIP(request.name) ? reverseName(request.name) : undefined;
  return reverse ? `${reverse}.` : request.name;
};

/**
 * Resolves a name the way a pod's glibc resolver does: the pod's resolv.conf (the domain
 * builds it as the kubelet would), its queries in order, one at a time, stopping at the
 * first with an answer — so `queries` is what the pod sends, and the domain says which
 * answered, how many were wasted and what would save them.
 */
export class LookupRunner {
  constructor(private readonly client: DnsClient, private readonly budgetMs = LOOKUP_BUDGET_MS) {}

  async lookup(request: DnsLookupRequest, dns: ClusterDns, signal?: AbortSignal): Promise<LookupOutcome> {
    const planned = planLookup({
      namespace: request.namespace, dnsPolicy: request.dnsPolicy, dnsConfig: request.dnsConfig,
      clusterDNS: dns.nameserver ? [dns.nameserver] : [],
      name: nameToAsk(request),
    });
    if (!planned.ok) throw invalid(planned.errors, 'invalid lookup');
    const { resolvConf, plan } = planned.value;
    const queries = await this.send(plan.queries, request.type ?? 'A', dns, signal);
    return { ...explainLookup(nameToAsk(request), queries), resolvConf, server: dns.address };
  }

  private async send(names: readonly string[], type: DnsRecordType, dns: ClusterDns, signal?: AbortSignal): Promise<DnsQueryResult[]> {
    const deadline = Date.now() + this.budgetMs;
    const results: DnsQueryResult[] = [];
    for (const name of names) {
      if (Date.now() >= deadline) break;
      const answer = await this.client.query(dns.server, name, type, signal);
      results.push({ name, ...answer });
      if (answered(results[results.length - 1])) break;
    }
    return results;
  }
}
