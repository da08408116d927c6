import { Module } from '@nestjs/common';
import { DnsModule } from '../dns/dns.module';
import { LookupQueries } from './lookup.queries';

/** lookup and records: real queries to the cluster DNS, compared with the API objects. */
@Module({ imports: [DnsModule], controllers: [LookupQueries] })
export class LookupsModule {}
