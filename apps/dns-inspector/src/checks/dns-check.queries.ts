import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { DNS_INSPECTOR_ACTIONS, DNS_INSPECTOR_QUERIES, dnsChecksRequestSchema, dnsValidateParamsSchema, querySubject, toFieldErrors } from '@bosun/contracts';
import { invalid, QueryHandler } from '@bosun/service-kit';

const KINDS = Object.keys(DNS_INSPECTOR_ACTIONS);

/** What the gateway asks before it accepts a dns-inspector operation: a 422 naming the field, not a failed operation later. */
@Controller()
export class DnsCheckQueries {
  @QueryHandler(querySubject('dns-inspector', DNS_INSPECTOR_QUERIES.validate), dnsValidateParamsSchema)
  validate(@Payload() p: { kind: string; payload?: unknown }): { fieldErrors: [] } {
    if (!KINDS.includes(p.kind)) throw invalid([{ path: 'kind', message: `unknown dns-inspector operation "${p.kind}" (known: ${KINDS.join(', ')})` }]);
    const parsed = dnsChecksRequestSchema.safeParse(p.payload ?? {});
    if (!parsed.success) throw invalid(toFieldErrors(parsed.error));
    return { fieldErrors: [] };
  }
}
