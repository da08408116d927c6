import type { DnsRecord, DnsRecordType, ObservedRecord, RecordMismatch, ServiceRecordsResult } from '@bosun/contracts';
import type { Service } from 'kubernetes-types/core/v1';
import { absolute, compareRecords, expectedRecords, serviceFqdn, withoutTrailingDot } from '@bosun/dns-inspector-domain';
import { invalid, OperationFailure } from '@bosun/service-kit';
import { DNS_CONCURRENCY, mapBounded } from '../dns/bounded';
import type { ClusterDns } from '../dns/cluster-dns.locator';
import type { DnsClusterReader } from '../dns/cluster.reader';
import type { DnsClient } from '../dns/dns.client';

const keyOf = (r: { name: string; type: string }): string => `${withoutTrailingDot(r.name).toLowerCase()} ${r.type}`;

interface Question {
  name: string;
  type: DnsRecordType;
}

/**
 * The questions to ask: every expected record, and the Service name as A and CNAME
 * whatever its type, so an answer the API objects do not explain shows up as `unexpected`.
 * An ExternalName's A is left out: its answer is the CNAME chased outside the cluster.
 */
export const questionsFor = (service: Service, expected: readonly DnsRecord[], fqdn: string): Question[] => {
  const seen = new Map<string, Question>();
  const add = (q: Question): void => void seen.set(keyOf(q), q);
  expected.forEach((r) => add({ name: r.name, type: r.type }));
  add({ name: fqdn, type: 'CNAME' });
  if (service.spec?.type !== 'ExternalName') add({ name: fqdn, type: 'A' });
  return [...seen.values()];
};

/**
 * A Service's records: expected from the API objects (the Service and its EndpointSlices,
 * by the Kubernetes DNS spec) against what the cluster DNS answers, mismatches named.
 */
export class RecordsReader {
  constructor(private readonly reader: DnsClusterReader, private readonly client: DnsClient) {}

  async records(namespace: string, name: string, dns: (service: Service | null) => ClusterDns, signal?: AbortSignal): Promise<ServiceRecordsResult> {
    const [service, slices, dnsService] = await Promise.all([
      this.reader.service(namespace, name), this.reader.endpointSlices(namespace, name), this.reader.dnsService(),
    ]);
    if (!service) throw new OperationFailure('NotFound', `services "${name}" not found (in ${namespace})`);
    const expected = expectedRecords(service, slices);
    if (!expected.ok) throw invalid(expected.errors, 'the Service cannot have DNS records');
    const cluster = dns(dnsService);
    const fqdn = serviceFqdn(name, namespace);
    const observed = await mapBounded(questionsFor(service, expected.value, fqdn), DNS_CONCURRENCY, async (q): Promise<ObservedRecord> => {
      const answer = await this.client.query(cluster.server, absolute(q.name), q.type, signal);
      return { name: q.name, type: q.type, values: answer.answers, rcode: answer.rcode };
    });
    if (observed.every((o) => o.rcode === 'TIMEOUT')) {
      throw new OperationFailure('Unreachable', `the cluster DNS ${cluster.address} (${cluster.source}) did not answer any of ${observed.length} queries`);
    }
    return { expected: expected.value, observed, mismatches: withRcodes(compareRecords(expected.value, observed), observed), server: cluster.address };
  }
}

/** The domain shows "no values" as NXDOMAIN; a SERVFAIL, REFUSED or TIMEOUT is named as what it was. */
const withRcodes = (mismatches: RecordMismatch[], observed: readonly ObservedRecord[]): RecordMismatch[] => {
  const rcodes = new Map(observed.map((o) => [keyOf(o), o.rcode]));
  return mismatches.map((m) => {
    const rcode = rcodes.get(keyOf(m));
    return rcode && rcode !== 'NOERROR' && rcode !== 'NXDOMAIN' ? { ...m, message: m.message.replace(/got NXDOMAIN/, `got no answer (${rcode})`) } : m;
  });
};
