import { Module } from '@nestjs/common';
import { DnsModule } from '../dns/dns.module';
import { DnsToolQueries } from './dns-tool.queries';

/** resolv-conf, query-plan and corefile-lint: the domain behind NATS queries. */
@Module({ imports: [DnsModule], controllers: [DnsToolQueries] })
export class DnsToolsModule {}
