import { Module } from '@nestjs/common';
import { DnsModule } from '../dns/dns.module';
import { DnsCheckHandlers } from './dns-check.handlers';
import { DnsCheckQueries } from './dns-check.queries';

/** The DNS checklist: an operation on the kit, and its validation for the gateway. */
@Module({ imports: [DnsModule], controllers: [DnsCheckHandlers, DnsCheckQueries] })
export class ChecksModule {}
