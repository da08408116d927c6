import { Controller, Get, Req } from '@nestjs/common';
import type { Request } from 'express';
import { RequireRole } from '../auth/auth.decorators';
import { ApiRoute } from '../http/api-route.decorator';
import { SystemStatusService } from './system-status.service';
import type { SystemStatus } from './system-status.service';

/** What is up and what is down; unlike /readyz it names every service and cluster. */
@Controller('v1/status')
export class StatusController {
  constructor(private readonly system: SystemStatusService) {}

  @Get()
  @RequireRole('viewer')
  @ApiRoute({ summary: 'What is up: {nats, redis, services: [{name, ready, replicas?, message?}], clusters: [{name, reachable, version?}]}', tag: 'system' })
  status(@Req() req: Request): Promise<SystemStatus> {
    const p = req.principal!;
    return this.system.status({ subject: p.subject, groups: p.groups, via: (req.res?.locals.via as 'api' | 'chat') ?? 'api' });
  }
}
