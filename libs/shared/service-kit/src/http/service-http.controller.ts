import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ADVISORY_COMPONENTS, HealthRegistry } from '../health.registry';
import { ServiceMetrics } from '../metrics/service.metrics';

/** A back-end service's own HTTP surface: Prometheus metrics and probes for its kubelet. */
@Controller()
export class ServiceHttpController {
  constructor(private readonly metrics: ServiceMetrics, private readonly health: HealthRegistry) {}

  @Get('metrics')
  async prometheus(@Res() res: Response): Promise<void> {
    res.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }

  @Get('healthz')
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready when its connections, consumer and worker are; a cluster being away is reported, not fatal. */
  @Get('readyz')
  async readyz(@Res() res: Response): Promise<void> {
    const components = await this.health.check();
    const down = Object.entries(components).filter(([name, c]) => !c.ok && !ADVISORY_COMPONENTS.includes(name));
    res.status(down.length ? 503 : 200).json({ status: down.length ? 'not ready' : 'ready', components });
  }
}
