import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { BOSUN_CONFIG } from '@bosun/config';
import type { BosunConfig } from '@bosun/config';
import type { BosunLogger } from '@bosun/logging';
import { connectRedisFailFast, OperationControl } from '@bosun/messaging';
import type { NatsConnection } from '@bosun/messaging';
import { LOGGER, NATS } from '@bosun/service-kit';
import { AuditController } from './audit/audit.controller';
import { AuditLog } from './audit/audit.log';
import { AuditMiddleware } from './audit/audit.middleware';
import { AuthController } from './auth/auth.controller';
import { AuthGuard } from './auth/auth.guard';
import { TokenStore } from './auth/token.store';
import { ClustersController } from './clusters/clusters.controller';
import { DeploymentsController } from './deployments/deployments.controller';
import { ProblemFilter } from './http/problem';
import { ChatIdentitiesController } from './identities/chat-identities.controller';
import { ApprovalExpirySweeper } from './operations/approval-expiry.sweeper';
import { ApprovalPolicyStore } from './operations/approval-policy.store';
import { OperationEventsConsumer } from './operations/operation-events.consumer';
import { OperationIntake } from './operations/operation-intake';
import { OperationNotifier } from './operations/operation.notifier';
import { OperationReconciler } from './operations/operation.reconciler';
import { OperationStore } from './operations/operation.store';
import { OperationsController } from './operations/operations.controller';
import { OperationsService } from './operations/operations.service';
import { MetricsMiddleware, OperationMetrics } from './system/metrics';
import { ReadinessCheck } from './system/readiness';
import { ServiceStatusProbe } from './system/service-status';
import { StatusController } from './system/status.controller';
import { SystemController } from './system/system.controller';
import { SystemStatusService } from './system/system-status.service';
import type { GatewayOptions } from './gateway.options';
import { GATEWAY_OPTIONS, STATE_REDIS } from './tokens';

/** The public HTTP API. It never talks to Kubernetes: it sends commands and asks services. */
@Module({
  controllers: [SystemController, StatusController, AuthController, AuditController, OperationsController, DeploymentsController, ChatIdentitiesController, ClustersController],
  providers: [
    // Request paths fail fast while Redis is away (503), instead of queueing forever.
    { provide: STATE_REDIS, inject: [BOSUN_CONFIG, LOGGER], useFactory: (c: BosunConfig, l: BosunLogger) => connectRedisFailFast(c.redisUrl, `${c.instanceId}-state`, l) },
    // Opened once at boot: the claim/cancel decision of every operation (a JetStream KV bucket).
    { provide: OperationControl, inject: [NATS], useFactory: (nc: NatsConnection) => OperationControl.open(nc) },
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_FILTER, useClass: ProblemFilter },
    TokenStore, AuditLog, OperationStore, ApprovalPolicyStore, OperationsService, OperationIntake, OperationNotifier,
    OperationEventsConsumer, ApprovalExpirySweeper, OperationReconciler, OperationMetrics, ReadinessCheck, ServiceStatusProbe, SystemStatusService, AuditMiddleware, MetricsMiddleware,
  ],
})
export class GatewayModule {
  static forRoot(options: GatewayOptions = {}): DynamicModule {
    return { module: GatewayModule, providers: [{ provide: GATEWAY_OPTIONS, useValue: options }] };
  }
}
