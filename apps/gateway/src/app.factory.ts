import 'reflect-metadata';
import { Module } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { ModulesContainer, NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import { dirname } from 'node:path';
import type { BosunConfig } from '@bosun/config';
import type { BosunLogger } from '@bosun/logging';
import { NestPinoLogger } from '@bosun/logging';
import { RuntimeModule } from '@bosun/service-kit';
import { GatewayModule } from './gateway.module';
import type { GatewayOptions } from './gateway.options';
import { AuditMiddleware } from './audit/audit.middleware';
import { MethodTable, methodNotAllowed } from './http/method-not-allowed';
import { bodyParserProblem, sendProblem } from './http/problem';
import { MetricsMiddleware } from './system/metrics';
import { discoverRoutes } from './system/openapi.routes';

/** Builds the gateway app (used by main.ts and by tests). */
export async function createGateway(config: BosunConfig, logger: BosunLogger, options: GatewayOptions = {}): Promise<INestApplication> {
  @Module({ imports: [RuntimeModule.forRoot(config, logger), GatewayModule.forRoot(options)] })
  class GatewayRoot {}
  const app = await NestFactory.create<NestExpressApplication>(GatewayRoot, { logger: new NestPinoLogger(logger), bodyParser: false });
  configureHttp(app, config);
  app.enableShutdownHooks();
  return app;
}

/** The HTTP pipeline around Nest's routes; module tests build their app with it too. */
export function configureHttp(app: NestExpressApplication, config: Pick<BosunConfig, 'bodyLimit'>): void {
  app.disable('x-powered-by');
  // Metrics and audit wrap everything, body parsing included, so malformed or oversize
  // bodies are measured and audited like any other refused request.
  const metrics = app.get(MetricsMiddleware, { strict: false });
  const audit = app.get(AuditMiddleware, { strict: false });
  app.use((req: express.Request, res: express.Response, next: express.NextFunction) => metrics.use(req, res, next));
  app.use('/v1', (req: express.Request, res: express.Response, next: express.NextFunction) => audit.use(req, res, next));
  // A method the path does not have is a 405 naming the ones it has, from the same routes the OpenAPI document lists.
  const modules = app.get(ModulesContainer);
  app.use(methodNotAllowed(() => MethodTable.from(discoverRoutes(modules))));
  app.use(express.json({ limit: config.bodyLimit, type: ['application/json', 'application/*+json'] }));
  // Body-parser errors happen before Nest's filters: turn them into problem+json here.
  app.use((err: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    const p = bodyParserProblem(err);
    return p ? sendProblem(res, p) : next(err);
  });
  app.use('/docs/assets', express.static(dirname(require.resolve('swagger-ui-dist/package.json'))));
}
