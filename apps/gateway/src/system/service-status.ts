import { Inject, Injectable } from '@nestjs/common';
import { CLUSTER_QUERIES, pingReplySchema, pingSubject, querySubject, SERVICES } from '@bosun/contracts';
import type { Actor, ClusterView, PingReply, ServiceName } from '@bosun/contracts';
import { decodeJson, encodeJson } from '@bosun/messaging';
import type { NatsConnection } from '@bosun/messaging';
import { BosunClientProxy, NATS } from '@bosun/service-kit';
import { OperationMetrics } from './metrics';

export interface ServiceStatus { name: ServiceName; ready: boolean; replicas?: number; message?: string }
export interface ClusterStatus { name: string; reachable: boolean; version?: string }

/** How long the first ping reply may take (a service's health probes time out at 1.5 s) and the quiet gap that ends the wait for more replicas. */
const PING_MAX_WAIT_MS = 2000;
const PING_STALL_MS = 150;
const CLUSTERS_TIMEOUT_MS = 2000;

/** What is up and what is down among the services and the clusters, as they answer right now. */
@Injectable()
export class ServiceStatusProbe {
  constructor(@Inject(NATS) private readonly nc: NatsConnection, private readonly client: BosunClientProxy, private readonly metrics: OperationMetrics) {}

  /** Every service by its ping; refreshes the bosun_service_up/replicas gauges. */
  async services(): Promise<{ services: ServiceStatus[]; pings: Map<ServiceName, PingReply[]> }> {
    const pings = new Map(await Promise.all(SERVICES.map(async (s) => [s, await this.ping(s)] as const)));
    const services = SERVICES.map((name) => statusOf(name, pings.get(name) ?? []));
    for (const s of services) {
      this.metrics.serviceUp.set({ service: s.name }, s.ready ? 1 : 0);
      this.metrics.serviceReplicas.set({ service: s.name }, s.replicas ?? 0);
    }
    return { services, pings };
  }

  /** Clusters as the deployer lists them; without the deployer, the default cluster as the services' `kubernetes` health reports it. */
  async clusters(pings: Map<ServiceName, PingReply[]>, actor?: Actor): Promise<ClusterStatus[]> {
    const reply = await this.client.ask<ClusterView[]>(querySubject('deployer', CLUSTER_QUERIES.list), { actor, cluster: 'default', params: {} }, CLUSTERS_TIMEOUT_MS);
    if (reply.ok) return reply.value.map((c) => ({ name: c.name, reachable: c.reachable, ...(c.version ? { version: c.version } : {}) }));
    const seen = [...pings.values()].flat().map((p) => p.health.kubernetes).filter((h) => h !== undefined);
    return seen.length ? [{ name: 'default', reachable: seen.some((h) => h.ok) }] : [];
  }

  /**
   * Every replica's reply to one ping. Distinct `instance`s are the replicas; a service that
   * serves its ping in a queue group answers with one replica only, so this is a lower bound.
   */
  private async ping(service: ServiceName): Promise<PingReply[]> {
    const replies = new Map<string, PingReply>();
    try {
      const it = await this.nc.requestMany(pingSubject(service), encodeJson({ cluster: 'default', params: {} }), { strategy: 'stall', stall: PING_STALL_MS, maxWait: PING_MAX_WAIT_MS });
      for await (const m of it) {
        const reply = decodeJson(m.data) as { ok?: boolean; value?: unknown };
        const parsed = reply.ok ? pingReplySchema.safeParse(reply.value) : undefined;
        if (parsed?.success) replies.set(parsed.data.instance, parsed.data);
      }
    } catch {
      // No responders or a closed connection: the service shows as not ready with 0 replicas.
    }
    return [...replies.values()];
  }
}

/** Ready when one replica answers with every component healthy; an unreachable cluster is a cluster's problem, not the service's. */
export function statusOf(name: ServiceName, replies: PingReply[]): ServiceStatus {
  if (!replies.length) return { name, ready: false, replicas: 0, message: `no ${name} replica answers its ping` };
  const problems = (r: PingReply): string[] => Object.entries(r.health).filter(([c, h]) => !h.ok && c !== 'kubernetes').map(([c, h]) => `${c}: ${h.detail ?? 'down'}`);
  const healthy = replies.find((r) => problems(r).length === 0);
  if (healthy) return { name, ready: true, replicas: replies.length };
  return { name, ready: false, replicas: replies.length, message: problems(replies[0]).join('; ') };
}
