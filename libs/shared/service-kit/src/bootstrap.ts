import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { ConfigError, loadConfig } from '@bosun/config';
import type { BosunConfig } from '@bosun/config';
import type { ServiceName } from '@bosun/contracts';
import { observeKubeRequests } from '@bosun/kube';
import { createLogger, NestPinoLogger } from '@bosun/logging';
import type { BosunLogger } from '@bosun/logging';
import { ServiceMetrics } from './metrics/service.metrics';
import { OperationEngine } from './operations/operation.engine';
import { OperationsKitModule } from './operations/operations-kit.module';
import { PingResponder } from './ping.responder';
import { RuntimeModule } from './runtime.module';
import { NATS } from './tokens';
import { BosunTransport } from './transport/bosun.transport';
import { PassThroughRpcFilter } from './transport/pass-through.filter';

/** Loads config or exits with a readable message: a misconfigured process must not half-start. */
export function configOrExit(app: BosunConfig['app']): BosunConfig {
  try {
    return loadConfig(app);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`[${app}] ${e.message}\n`);
      process.exit(78);
    }
    throw e;
  }
}

/** The root module of a back-end service: runtime, the operations kit, ping and its feature modules. */
export function serviceRootModule(config: BosunConfig, logger: BosunLogger, features: Array<Type | DynamicModule>): Type {
  @Module({ imports: [RuntimeModule.forRoot(config, logger), OperationsKitModule, ...features], providers: [PingResponder] })
  class ServiceRootModule {}
  return ServiceRootModule;
}

/**
 * Builds a back-end service as a Nest hybrid app: its handlers served by BosunTransport over
 * NATS and BullMQ, its metrics and probes over HTTP (initialised, not listening yet: tests use it as is).
 */
export async function createServiceApp(config: BosunConfig, logger: BosunLogger, features: Array<Type | DynamicModule>): Promise<INestApplication> {
  const app = await NestFactory.create(serviceRootModule(config, logger, features), { logger: new NestPinoLogger(logger) });
  const metrics = app.get(ServiceMetrics);
  observeKubeRequests((verb, code, seconds) => metrics.kubeRequest(verb, code, seconds));
  // The modules' init hooks run once, here, before any message can reach a handler.
  await app.init();
  const transport = new BosunTransport({ service: config.app as ServiceName, nc: app.get(NATS), engine: app.get(OperationEngine), logger });
  // Deferred, so the global filter is in place before Nest wires the handlers; the hooks
  // already ran for the shared container and must not run a second time.
  const microservice = app.connectMicroservice({ strategy: transport }, { deferInitialization: true });
  (microservice as unknown as { setIsInitHookCalled(called: boolean): void }).setIsInitHookCalled(true);
  microservice.useGlobalFilters(new PassThroughRpcFilter());
  await app.startAllMicroservices();
  return app;
}

/** Starts a back-end service: it consumes its commands, answers its queries and serves /metrics. */
export async function bootstrapService(service: ServiceName, features: Array<Type | DynamicModule>): Promise<INestApplication> {
  const config = configOrExit(service);
  const logger = createLogger(service, config.logLevel);
  const app = await createServiceApp(config, logger, features);
  app.enableShutdownHooks();
  await app.listen(config.metricsPort, '0.0.0.0');
  logger.info({ instance: config.instanceId, metricsPort: config.metricsPort }, `${service} ready`);
  return app;
}
