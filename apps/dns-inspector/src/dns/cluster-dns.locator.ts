import { Inject, Injectable } from '@nestjs/common';
import type { Service } from 'kubernetes-types/core/v1';
import { BOSUN_CONFIG } from '@bosun/config';
import type { BosunConfig } from '@bosun/config';
import { isIP } from '@bosun/dns-inspector-domain';
import { CLUSTER_REGISTRY } from '@bosun/kube';
import type { ClusterRegistry } from '@bosun/kube';
import { OperationFailure } from '@bosun/service-kit';
import { parseServer, serverText } from './dns.client';
import type { DnsServer } from './dns.client';

/** Which DNS server a cluster's questions go to, and why that one. */
export interface ClusterDns {
  server: DnsServer;
  /** `host:port` as it is reported in results. */
  address: string;
  source: 'BOSUN_CLUSTER_DNS' | 'kube-dns';
  /** The kube-dns ClusterIP: the `nameserver` line pods get (the kubelet's --cluster-dns). */
  nameserver?: string;
}

/**
 * The cluster DNS of one cluster. For the default cluster `BOSUN_CLUSTER_DNS` (`host:port`)
 * wins: the service may run where ClusterIPs are not routable (the local stack, a laptop),
 * and there the operator names a reachable address of the same CoreDNS. Otherwise, and for
 * every cluster added through the API, the `kube-dns` Service IP on port 53, as a pod asks.
 */
@Injectable()
export class ClusterDnsLocator {
  private readonly configured?: DnsServer;

  constructor(
    @Inject(BOSUN_CONFIG) config: BosunConfig,
    @Inject(CLUSTER_REGISTRY) private readonly registry: ClusterRegistry,
  ) {
    this.configured = config.clusterDns ? parseServer(config.clusterDns) : undefined;
  }

  /** `dnsService` is the kube-dns Service as read (null: it does not exist). */
  locate(cluster: string, dnsService: Service | null): ClusterDns {
    const clusterIP = dnsService?.spec?.clusterIP;
    const nameserver = clusterIP && isIP(clusterIP) ? clusterIP : undefined;
    if (this.configured && cluster === this.registry.defaultName) {
      // Without the kube-dns IP (not readable) the pods are still ClusterFirst: stand in the server asked.
      const standIn = isIP(this.configured.host) ? this.configured.host : undefined;
      return { server: this.configured, address: serverText(this.configured), source: 'BOSUN_CLUSTER_DNS', nameserver: nameserver ?? standIn };
    }
    if (!nameserver) {
      throw new OperationFailure('Unreachable', `cluster ${cluster} has no kube-dns Service IP in kube-system (and BOSUN_CLUSTER_DNS only names the default cluster's DNS): there is no DNS server to ask`);
    }
    const server = { host: nameserver, port: 53 };
    return { server, address: serverText(server), source: 'kube-dns', nameserver };
  }
}
