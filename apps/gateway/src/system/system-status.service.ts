import { Injectable } from '@nestjs/common';
import type { Actor } from '@bosun/contracts';
import { ReadinessCheck } from './readiness';
import type { ComponentCheck } from './readiness';
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

  /** Refreshes the per-service gauges before a scrape. */
  async refreshMetrics(): Promise<void> {
    await this.probe.services();
  }
}
