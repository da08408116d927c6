import { Inject, Injectable } from '@nestjs/common';
import type { NatsConnection, Redis } from '@bosun/messaging';
import { NATS } from '@bosun/service-kit';
import { STATE_REDIS } from '../tokens';

export interface ComponentCheck { ok: boolean; detail?: string }
export interface Readiness { ready: boolean; components: { nats: ComponentCheck; redis: ComponentCheck } }

const CHECK_TIMEOUT_MS = 1000;

/**
 * Ready = the gateway itself can serve: NATS and Redis answer. The services are deliberately
 * not part of it (they are in /v1/status): one stopped service must not take the whole API
 * out of its Kubernetes Service.
 */
@Injectable()
export class ReadinessCheck {
  constructor(@Inject(NATS) private readonly nc: NatsConnection, @Inject(STATE_REDIS) private readonly redis: Redis) {}

  async check(): Promise<Readiness> {
    const [nats, redis] = await Promise.all([
      this.nc.isClosed() ? { ok: false, detail: 'connection closed' } : answers('nats', () => this.nc.flush()),
      answers('redis', () => this.redis.ping()),
    ]);
    return { ready: nats.ok && redis.ok, components: { nats, redis } };
  }
}

/** A round trip within the timeout (a reconnecting client may hold a request forever). */
async function answers(name: string, roundTrip: () => Promise<unknown>): Promise<ComponentCheck> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ComponentCheck>((r) => { timer = setTimeout(() => r({ ok: false, detail: `${name} did not answer within ${CHECK_TIMEOUT_MS} ms` }), CHECK_TIMEOUT_MS); });
  const trip = roundTrip().then((): ComponentCheck => ({ ok: true }), (e: unknown): ComponentCheck => ({ ok: false, detail: String((e as Error)?.message ?? e) }));
  return Promise.race([trip, timeout]).finally(() => clearTimeout(timer));
}
