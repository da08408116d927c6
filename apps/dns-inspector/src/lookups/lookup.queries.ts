import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { DNS_INSPECTOR_QUERIES, dnsLookupRequestSchema, querySubject, serviceRecordsParamsSchema } from '@bosun/contracts';
import type { DnsLookupRequest, ServiceRecordsResult } from '@bosun/contracts';
import { CLUSTER_REGISTRY } from '@bosun/kube';
import type { ClusterRegistry } from '@bosun/kube';
import { QueryContext, QueryHandler } from '@bosun/service-kit';
import { ClusterDnsLocator } from '../dns/cluster-dns.locator';
import { DnsClusterReader } from '../dns/cluster.reader';
import { DNS_CLIENT } from '../dns/dns.client';
import type { DnsClient } from '../dns/dns.client';
import { LookupRunner } from './lookup.runner';
import type { LookupOutcome } from './lookup.runner';
import { RecordsReader } from './records.reader';

const subject = (name: string): string => querySubject('dns-inspector', name);

/** Questions answered by the live cluster DNS: a pod's lookup of a name, and a Service's records. */
@Controller()
export class LookupQueries {
  constructor(
    @Inject(CLUSTER_REGISTRY) private readonly registry: ClusterRegistry,
    @Inject(DNS_CLIENT) private readonly client: DnsClient,
    private readonly locator: ClusterDnsLocator,
  ) {}

  @QueryHandler(subject(DNS_INSPECTOR_QUERIES.lookup), dnsLookupRequestSchema)
  async lookup(@Payload() p: DnsLookupRequest, @Ctx() q: QueryContext): Promise<LookupOutcome> {
    const reader = await this.reader(q);
    const dns = this.locator.locate(q.cluster, await reader.dnsService());
    return new LookupRunner(this.client).lookup(p, dns);
  }

  @QueryHandler(subject(DNS_INSPECTOR_QUERIES.records), serviceRecordsParamsSchema)
  async records(@Payload() p: { ns: string; name: string }, @Ctx() q: QueryContext): Promise<ServiceRecordsResult> {
    const reader = await this.reader(q);
    return new RecordsReader(reader, this.client).records(p.ns, p.name, (dnsService) => this.locator.locate(q.cluster, dnsService));
  }

  private async reader(q: QueryContext): Promise<DnsClusterReader> {
    return new DnsClusterReader(await this.registry.resolve(q.cluster), q.identity);
  }
}
