import { Controller, Get, Header, Query, Res } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { sendProblem } from '../http/problem';
import { ApiRoute } from '../http/api-route.decorator';
import { OperationMetrics } from './metrics';
import { buildOpenApi } from './openapi';
import { ReadinessCheck } from './readiness';
import { SystemStatusService } from './system-status.service';

@Controller()
@Public()
export class SystemController {
  constructor(private readonly readiness: ReadinessCheck, private readonly metrics: OperationMetrics, private readonly system: SystemStatusService, private readonly modules: ModulesContainer) {}

  @Get('healthz')
  @ApiRoute({ summary: 'Liveness', tag: 'system' })
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * 200 when the gateway can serve (NATS and Redis answer); otherwise 503 naming what does not.
   * Services are in /v1/status; `?services=all` also waits for every service (for scripts that
   * start the whole stack, never for a Kubernetes readiness probe).
   */
  @Get('readyz')
  @ApiRoute({ summary: 'Readiness of the gateway itself: NATS and Redis (503 naming the one that is not); ?services=all also waits for every service', tag: 'system', responses: { 503: 'Not ready: the components that are down, each named in errors[]' } })
  async readyz(@Query('services') services: string | undefined, @Res() res: Response): Promise<void> {
    const r = services === 'all' ? await this.system.readinessWithServices() : await this.readiness.check();
    if (r.ready) return void res.status(200).json({ status: 'ready', components: r.components });
    const down = Object.entries(r.components).filter(([, c]) => !c.ok);
    sendProblem(res, { status: 503, title: 'Service Unavailable', detail: `not ready: ${down.map(([n, c]) => `${n} (${c.detail ?? 'down'})`).join(', ')}`, errors: down.map(([n, c]) => ({ path: n, message: c.detail ?? 'unreachable' })) });
  }

  @Get('metrics')
  @ApiRoute({ summary: 'Prometheus metrics', tag: 'system', produces: 'text/plain' })
  async prometheus(@Res() res: Response): Promise<void> {
    await this.system.refreshMetrics();
    res.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }

  @Get('openapi.json')
  @ApiRoute({ summary: 'This document, generated from the routes themselves', tag: 'system' })
  openapi(): unknown {
    return buildOpenApi(this.modules);
  }

  @Get('docs')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiRoute({ summary: 'Swagger UI over /openapi.json', tag: 'system', produces: 'text/html' })
  docs(): string {
    return `<!doctype html><html><head><title>Bosun API</title><link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div><script src="/docs/assets/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui' });</script></body></html>`;
  }
}
