import { Injectable } from '@nestjs/common';
import type { Actor } from '@bosun/contracts';
import { ReadinessCheck } from './readiness';
import type { ComponentCheck, Readiness } from './readiness';
import { ServiceStatusProbe } from './service-status';
import type { ClusterStatus, ServiceStatus } from './service-status';

export interface ComponentStatus { reachable: boolean; message?: string }
/** `GET /v1/status` exactly as API.md names it. */
export interface SystemStatus { nats: ComponentStatus; redis: ComponentStatus; services: ServiceStatus[]; clusters: ClusterStatus[] }

const component = (c: ComponentCheck): ComponentStatus => ({ reachable: c.ok, ...(c.detail ? { message: c.detail } : {}) });

@Injectable()
export class SystemStatusService {
  constructor(private readonly readiness: ReadinessCheck, private readonly probe: ServiceStatusProbe) {}

  async status(actor?: Actor): Promise<SystemStatus> {
    const [ready, { services, pings }] = await Promise.all([this.readiness.check(), this.probe.services()]);
    const clusters = await this.probe.clusters(pings, actor);
    return { nats: component(ready.components.nats), redis: component(ready.components.redis), services, clusters };
  }

  /** The gateway's readiness and every service's, as components (`?services=all`). */
  async readinessWithServices(): Promise<{ ready: boolean; components: Readiness['components'] & Record<string, ComponentCheck> }> {
    const [own, { services }] = await Promise.all([this.readiness.check(), this.probe.services()]);
    const components: Readiness['components'] & Record<string, ComponentCheck> = { ...own.components };
    for (const s of services) components[s.name] = s.ready ? { ok: true } : { ok: false, detail: s.message ?? 'not ready' };
    return { ready: Object.values(components).every((c) => c.ok), components };
  }

  /** Refreshes the per-service gauges before a scrape. */
  async refreshMetrics(): Promise<void> {
    await this.probe.services();
  }
}
