import { Controller, Inject, Optional } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import {
  corefileLintRequestSchema, DNS_INSPECTOR_QUERIES, queryPlanRequestSchema, querySubject, resolvConfRequestSchema,
} from '@bosun/contracts';
import type { CorefileLintResult, QueryPlanRequest, QueryPlanResult, ResolvConfRequest, ResolvConfResult } from '@bosun/contracts';
import { buildResolvConf, lintCorefile, planQueries } from '@bosun/dns-inspector-domain';
import { CLUSTER_REGISTRY } from '@bosun/kube';
import type { ClusterRegistry } from '@bosun/kube';
import { invalid, QueryContext, QueryHandler } from '@bosun/service-kit';
import { DnsClusterReader } from '../dns/cluster.reader';

const subject = (name: string): string => querySubject('dns-inspector', name);

/**
 * The pure questions: what resolv.conf a pod gets, which queries its resolver sends, what
 * is wrong with a Corefile. The domain answers; its field errors come back as Invalid.
 */
@Controller()
export class DnsToolQueries {
  constructor(@Optional() @Inject(CLUSTER_REGISTRY) private readonly registry?: ClusterRegistry) {}

  @QueryHandler(subject(DNS_INSPECTOR_QUERIES.resolvConf), resolvConfRequestSchema)
  async resolvConf(@Payload() p: ResolvConfRequest, @Ctx() q: QueryContext): Promise<ResolvConfResult> {
    const clusterDNS = p.clusterDNS ?? (await this.liveClusterDns(q));
    const built = buildResolvConf({ ...p, clusterDNS });
    if (!built.ok) throw invalid(built.errors);
    return built.value;
  }

  @QueryHandler(subject(DNS_INSPECTOR_QUERIES.queryPlan), queryPlanRequestSchema)
  queryPlan(@Payload() p: QueryPlanRequest): QueryPlanResult & { asIsFirst: boolean } {
    const plan = planQueries(p);
    if (!plan.ok) throw invalid(plan.errors);
    return plan.value;
  }

  @QueryHandler(subject(DNS_INSPECTOR_QUERIES.corefileLint), corefileLintRequestSchema)
  corefileLint(@Payload() p: { corefile: string }): CorefileLintResult {
    const findings = lintCorefile(p.corefile);
    if (!findings.ok) throw invalid(findings.errors);
    return { findings: findings.value };
  }

  /**
   * Without `clusterDNS` the pod's nameserver is the asked cluster's kube-dns IP, as the
   * kubelet there is configured; when it cannot be read (no Service, no right to read
   * kube-system) the domain's "no ClusterDNS" fall-back and its warning apply.
   */
  private async liveClusterDns(q: QueryContext): Promise<string[] | undefined> {
    if (!this.registry) return undefined;
    try {
      const service = await new DnsClusterReader(await this.registry.resolve(q.cluster), q.identity).dnsService();
      const ip = service?.spec?.clusterIP;
      return ip && ip !== 'None' ? [ip] : undefined;
    } catch {
      return undefined;
    }
  }
}
