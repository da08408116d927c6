import { Inject, Injectable } from '@nestjs/common';
import { pingSubject, SERVICES } from '@bosun/contracts';
import type { PingReply } from '@bosun/contracts';
import { BOSUN_CONFIG } from '@bosun/config';
import type { BosunConfig } from '@bosun/config';
import { QueryClient } from '@bosun/messaging';
import type { NatsConnection, Redis } from '@bosun/messaging';
import { NATS } from '@bosun/service-kit';
import { STATE_REDIS } from '../tokens';

export interface Readiness { ready: boolean; components: Record<string, { ok: boolean; detail?: string }> }

/** Ready = NATS, Redis, every service (by ping) and the default cluster (as the deployer sees it). */
@Injectable()
export class ReadinessCheck {
  constructor(
    @Inject(NATS) private readonly nc: NatsConnection,
    @Inject(STATE_REDIS) private readonly redis: Redis,
    @Inject(BOSUN_CONFIG) private readonly config: BosunConfig,
    private readonly queries: QueryClient,
  ) {}

  async check(): Promise<Readiness> {
    const components: Readiness['components'] = {};
    components.nats = this.nc.isClosed() ? { ok: false, detail: 'closed' } : await this.nc.flush().then(() => ({ ok: true }), (e) => ({ ok: false, detail: String(e) }));
    components.redis = await Promise.race([
      this.redis.ping().then(() => ({ ok: true }), (e: Error) => ({ ok: false, detail: e.message })),
      new Promise<{ ok: boolean; detail: string }>((r) => setTimeout(() => r({ ok: false, detail: 'redis did not answer within 1 s' }), 1000)),
    ]);
    const pings = await Promise.all(SERVICES.map(async (s) => [s, await this.queries.request<PingReply>(pingSubject(s), { cluster: 'default', params: {} }, 1000)] as const));
    for (const [service, reply] of pings) {
      const unhealthy = reply.ok ? Object.entries(reply.value.health).filter(([name, h]) => !h.ok && name !== "kubernetes") : [];
      components[service] = reply.ok ? (unhealthy.length ? { ok: false, detail: unhealthy.map(([n, h]) => `${n}: ${h.detail}`).join('; ') } : { ok: true }) : { ok: false, detail: reply.error.message };
      if (service === 'deployer' && reply.ok && reply.value.health.kubernetes) components.cluster = reply.value.health.kubernetes;
    }
    if (this.config.kubeconfig && !components.cluster) components.cluster = { ok: false, detail: 'the default cluster has not been reported reachable by the deployer' };
    return { ready: Object.values(components).every((c) => c.ok), components };
  }
}
