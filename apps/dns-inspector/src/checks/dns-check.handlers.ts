import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { commandSubject, DNS_INSPECTOR_ACTIONS, dnsChecksRequestSchema } from '@bosun/contracts';
import type { DnsChecksRequest, DnsChecksResult } from '@bosun/contracts';
import { CLUSTER_REGISTRY } from '@bosun/kube';
import type { ClusterRegistry } from '@bosun/kube';
import type { BosunLogger } from '@bosun/logging';
import { LOGGER, OperationContext, OperationHandler } from '@bosun/service-kit';
import { ClusterDnsLocator } from '../dns/cluster-dns.locator';
import { DnsClusterReader } from '../dns/cluster.reader';
import { DNS_CLIENT } from '../dns/dns.client';
import type { DnsClient } from '../dns/dns.client';
import { LookupRunner } from '../lookups/lookup.runner';
import { ChecklistRunner } from './checklist.runner';

/** `bosun.cmd.dns-inspector.checks.v1` → the DNS checklist as one operation (a BullMQ job the kit runs). */
@Controller()
export class DnsCheckHandlers {
  constructor(
    @Inject(CLUSTER_REGISTRY) private readonly registry: ClusterRegistry,
    @Inject(DNS_CLIENT) private readonly client: DnsClient,
    private readonly locator: ClusterDnsLocator,
    @Inject(LOGGER) private readonly logger: BosunLogger,
  ) {}

  @OperationHandler(commandSubject('dns-inspector', DNS_INSPECTOR_ACTIONS['dns.checks']), { schema: dnsChecksRequestSchema })
  async checks(@Payload() p: DnsChecksRequest, @Ctx() op: OperationContext): Promise<DnsChecksResult> {
    const { operationId, cluster, identity } = op.operation;
    const reader = new DnsClusterReader(await this.registry.resolve(cluster), identity, op.signal);
    op.throwIfStopped();
    const runner = new ChecklistRunner({
      reader, lookups: new LookupRunner(this.client), signal: op.signal,
      locate: (e) => this.locator.locate(cluster, e.dnsService ?? null),
    });
    const result = await runner.run(p, op);
    const failed = result.checks.filter((c) => c.status === 'fail').map((c) => c.id);
    this.logger.info({ operationId, cluster, ns: p.namespace, service: p.service, failed }, 'dns checklist done');
    return result;
  }
}
