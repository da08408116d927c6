import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { HealthRegistry } from '@bosun/service-kit';
import { REQUIRED_COMPONENTS } from './health.probes';

/**
 * `/healthz`: 200 while chat requests can be admitted (the replay store answers), with
 * every component's state; 503 otherwise. An unreachable gateway shows as degraded:
 * chatops still answers and tells people so.
 */
@Controller()
export class HealthController {
  constructor(private readonly health: HealthRegistry) {}

  @Get('healthz')
  async healthz(@Res() res: Response): Promise<void> {
    const components = await this.health.check();
    const serving = REQUIRED_COMPONENTS.every((c) => components[c]?.ok);
    const all = Object.values(components).every((c) => c.ok);
    res.status(serving ? 200 : 503).json({ status: serving ? (all ? 'ok' : 'degraded') : 'unavailable', components });
  }
}
