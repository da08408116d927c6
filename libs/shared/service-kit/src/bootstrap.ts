import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { DynamicModule, INestApplicationContext, Type } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { ConfigError, loadConfig } from '@bosun/config';
import type { BosunConfig } from '@bosun/config';
import type { ServiceName } from '@bosun/contracts';
import { createLogger, NestPinoLogger } from '@bosun/logging';
import type { BosunLogger } from '@bosun/logging';
import { PingResponder } from './ping.responder';
import { RuntimeModule } from './runtime.module';

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

/** Builds the root module of a back-end service: runtime + ping + its feature modules. */
export function serviceRootModule(config: BosunConfig, logger: BosunLogger, features: Array<Type | DynamicModule>): Type {
  @Module({ imports: [RuntimeModule.forRoot(config, logger), ...features], providers: [PingResponder] })
  class ServiceRootModule {}
  return ServiceRootModule;
}

/** Starts a back-end service (no HTTP): it joins its consumers and answers ping. */
export async function bootstrapService(service: ServiceName, features: Array<Type | DynamicModule>): Promise<INestApplicationContext> {
  const config = configOrExit(service);
  const logger = createLogger(service, config.logLevel);
  const app = await NestFactory.createApplicationContext(serviceRootModule(config, logger, features), { logger: new NestPinoLogger(logger) });
  app.enableShutdownHooks();
  logger.info({ instance: config.instanceId }, `${service} ready`);
  return app;
}
