import { bootstrapService } from '@bosun/service-kit';
import { ChecksModule } from './checks/checks.module';
import { LookupsModule } from './lookups/lookups.module';
import { DnsToolsModule } from './tools/dns-tools.module';

// Joins the dns-inspector's command consumer (the checklist operation) and answers its queries.
void bootstrapService('dns-inspector', [ChecksModule, LookupsModule, DnsToolsModule]);
