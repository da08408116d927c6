import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  corefileLintRequestSchema, DNS_CHECKS_TARGET_KIND, DNS_INSPECTOR_ACTIONS, DNS_INSPECTOR_QUERIES, dnsChecksRequestSchema, dnsLookupRequestSchema,
  queryPlanRequestSchema, resolvConfRequestSchema, serviceRecordsParamsSchema,
} from '@bosun/contracts';
import type {
  CorefileLintResult, DnsChecksRequest, DnsLookupRequest, DnsLookupResult, Operation, QueryPlanRequest, QueryPlanResult, ResolvConfRequest,
  ResolvConfResult, ServiceRecordsResult,
} from '@bosun/contracts';
import type { z } from 'zod';
import { Action, RequireRole } from '../auth/auth.decorators';
import { ApiRoute } from '../http/api-route.decorator';
import { ZodBody } from '../http/zod-body.pipe';
import { ZodParams } from '../http/zod-params.pipe';
import { OperationIntake } from '../operations/operation-intake';

const SERVICE = 'dns-inspector';
const TAG = 'dns';

/**
 * DNS: the checklist is an operation (it reads a lot and reports progress); everything else
 * is a question to the dns-inspector. Nothing here changes the cluster, so viewer suffices:
 * Kubernetes RBAC (impersonation) still decides what the subject may read.
 */
@Controller('v1/dns')
export class DnsController {
  constructor(private readonly intake: OperationIntake) {}

  @Post('checks')
  @RequireRole('viewer')
  @Action('dns.checks')
  @ApiRoute({ summary: 'Run the DNS checklist (optionally for one Service); the result is {checks: [{id, title, status, detail, hint?}]}', tag: TAG, service: SERVICE, operation: true, kinds: ['dns.checks'] })
  checks(@Body(new ZodBody(dnsChecksRequestSchema, { optional: true })) body: DnsChecksRequest, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<Operation> {
    return this.intake.submit(req, res, {
      kind: 'dns.checks', service: SERVICE, action: DNS_INSPECTOR_ACTIONS['dns.checks'],
      target: { namespace: body.namespace ?? 'default', kind: DNS_CHECKS_TARGET_KIND, name: body.service },
      payload: body, validate: true,
    });
  }

  @Get('services/:ns/:name/records')
  @RequireRole('viewer')
  @ApiRoute({ summary: 'A Service\'s DNS records: expected (from the Service and its EndpointSlices), observed (from the cluster DNS), mismatches', tag: TAG, service: SERVICE })
  records(@Param(new ZodParams(serviceRecordsParamsSchema)) params: z.infer<typeof serviceRecordsParamsSchema>, @Req() req: Request): Promise<ServiceRecordsResult> {
    return this.intake.ask(req, SERVICE, DNS_INSPECTOR_QUERIES.records, params);
  }

  @Post('resolv-conf')
  @HttpCode(200)
  @RequireRole('viewer')
  @Action('dns.resolv-conf')
  @ApiRoute({ summary: 'The resolv.conf the kubelet would write for a pod', tag: TAG, service: SERVICE })
  resolvConf(@Body(new ZodBody(resolvConfRequestSchema)) body: ResolvConfRequest, @Req() req: Request): Promise<ResolvConfResult> {
    return this.intake.ask(req, SERVICE, DNS_INSPECTOR_QUERIES.resolvConf, body);
  }

  @Post('query-plan')
  @HttpCode(200)
  @RequireRole('viewer')
  @Action('dns.query-plan')
  @ApiRoute({ summary: 'The fully qualified queries a resolver sends for a name, in order', tag: TAG, service: SERVICE })
  queryPlan(@Body(new ZodBody(queryPlanRequestSchema)) body: QueryPlanRequest, @Req() req: Request): Promise<QueryPlanResult> {
    return this.intake.ask(req, SERVICE, DNS_INSPECTOR_QUERIES.queryPlan, body);
  }

  @Post('corefile/lint')
  @HttpCode(200)
  @RequireRole('viewer')
  @Action('dns.corefile-lint')
  @ApiRoute({ summary: 'Lint a CoreDNS Corefile', tag: TAG, service: SERVICE })
  lintCorefile(@Body(new ZodBody(corefileLintRequestSchema)) body: z.infer<typeof corefileLintRequestSchema>, @Req() req: Request): Promise<CorefileLintResult> {
    return this.intake.ask(req, SERVICE, DNS_INSPECTOR_QUERIES.corefileLint, body);
  }

  @Post('lookups')
  @HttpCode(200)
  @RequireRole('viewer')
  @Action('dns.lookup')
  @ApiRoute({ summary: 'Resolve a name the way a pod of the namespace would: each query of its search list, which answered, how many were wasted', tag: TAG, service: SERVICE })
  lookup(@Body(new ZodBody(dnsLookupRequestSchema)) body: DnsLookupRequest, @Req() req: Request): Promise<DnsLookupResult> {
    return this.intake.ask(req, SERVICE, DNS_INSPECTOR_QUERIES.lookup, body, 10_000);
  }
}
