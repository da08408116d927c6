import { Global, Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { BOSUN_CONFIG } from '@bosun/config';
import type { BosunConfig } from '@bosun/config';
import type { BosunLogger } from '@bosun/logging';
import { connectRedisFailFast, OperationControl } from '@bosun/messaging';
import type { NatsConnection } from '@bosun/messaging';
import { BosunClientProxy, LOGGER, NATS } from '@bosun/service-kit';
import type { GatewayOptions } from '../gateway.options';
import { ProblemFilter } from '../http/problem';
import { MetricsMiddleware, OperationMetrics } from '../system/metrics';
import { GATEWAY_OPTIONS, STATE_REDIS } from '../tokens';

/** What every feature module of the gateway shares: state Redis, metrics, operation control, problem+json. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(options: GatewayOptions = {}): DynamicModule {
    const shared = [
      // Request paths fail fast while Redis is away (503), instead of queueing forever.
      { provide: STATE_REDIS, inject: [BOSUN_CONFIG, LOGGER], useFactory: (c: BosunConfig, l: BosunLogger) => connectRedisFailFast(c.redisUrl, `${c.instanceId}-state`, l) },
      { provide: GATEWAY_OPTIONS, useValue: options },
      // Opened once at boot: the claim/cancel decision of every operation (a JetStream KV bucket).
      { provide: OperationControl, inject: [NATS], useFactory: (nc: NatsConnection) => OperationControl.open(nc) },
      // Nest's ClientProxy over the bus: queries (request/reply) and commands (JetStream), as the services' transport expects them.
      { provide: BosunClientProxy, inject: [NATS], useFactory: (nc: NatsConnection) => new BosunClientProxy(nc) },
      OperationMetrics,
      MetricsMiddleware,
    ];
    return {
      module: CoreModule,
      providers: [...shared, { provide: APP_FILTER, useClass: ProblemFilter }],
      exports: [STATE_REDIS, GATEWAY_OPTIONS, OperationControl, BosunClientProxy, OperationMetrics, MetricsMiddleware],
    };
  }
}
