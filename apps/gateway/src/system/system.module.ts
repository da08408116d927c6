import { Module } from '@nestjs/common';
import { ReadinessCheck } from './readiness';
import { ServiceStatusProbe } from './service-status';
import { StatusController } from './status.controller';
import { SystemController } from './system.controller';
import { SystemStatusService } from './system-status.service';

/** Health, readiness, /v1/status, metrics, OpenAPI and docs. */
@Module({ controllers: [SystemController, StatusController], providers: [ReadinessCheck, ServiceStatusProbe, SystemStatusService] })
export class SystemModule {}
