import { Module } from '@nestjs/common';
import { kubeRuntime } from '@bosun/service-kit';
import { ClusterDnsLocator } from './cluster-dns.locator';
import { DNS_CLIENT, NodeDnsClient } from './dns.client';

/** What the capabilities share: the cluster registry, the DNS client (a port, faked in unit tests) and the server choice. */
@Module({
  imports: [kubeRuntime()],
  providers: [{ provide: DNS_CLIENT, useFactory: () => new NodeDnsClient() }, ClusterDnsLocator],
  exports: [DNS_CLIENT, ClusterDnsLocator],
})
export class DnsModule {}
