import { Module } from '@nestjs/common';
import { OperationsModule } from '../operations/operations.module';
import { DnsController } from './dns.controller';

/** `/v1/dns`: thin adapters onto the dns-inspector's checklist operation and queries. */
@Module({ imports: [OperationsModule], controllers: [DnsController] })
export class DnsModule {}
