import { Module } from '@nestjs/common';
import { ServiceHttpController } from '../http/service-http.controller';
import { ServiceMetrics } from '../metrics/service.metrics';
import { OperationEngine } from './operation.engine';

/** The operation lifecycle and the service's own HTTP surface (metrics, probes). */
@Module({ controllers: [ServiceHttpController], providers: [OperationEngine, ServiceMetrics], exports: [OperationEngine, ServiceMetrics] })
export class OperationsKitModule {}
