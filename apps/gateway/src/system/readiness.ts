import { Inject, Injectable } from '@nestjs/common';
import type { NatsConnection, Redis } from '@bosun/messaging';
import { NATS } from '@bosun/service-kit';
import { STATE_REDIS } from '../tokens';

export interface ComponentCheck { ok: boolean; detail?: string }
export interface Readiness { ready: boolean; components: { nats: ComponentCheck; redis: ComponentCheck } }

const REDIS_TIMEOUT_MS = 1000;

/**
 * Ready = the gateway itself can serve: NATS and Redis answer. The services are deliberately
 * not part of it (they are in /v1/status): one stopped service must not take the whole API
 * out of its Kubernetes Service.
 */
@Injectable()
export class ReadinessCheck {
  constructor(@Inject(NATS) private readonly nc: NatsConnection, @Inject(STATE_REDIS) private readonly redis: Redis) {}

  async check(): Promise<Readiness> {
    const [nats, redis] = await Promise.all([this.nats(), this.redisCheck()]);
    return { ready: nats.ok && redis.ok, components: { nats, redis } };
  }

  private async nats(): Promise<ComponentCheck> {
    if (this.nc.isClosed()) return { ok: false, detail: 'connection closed' };
    return this.nc.flush().then(() => ({ ok: true }), (e: unknown) => ({ ok: false, detail: String((e as Error)?.message ?? e) }));
  }

  private redisCheck(): Promise<ComponentCheck> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<ComponentCheck>((r) => { timer = setTimeout(() => r({ ok: false, detail: `redis did not answer within ${REDIS_TIMEOUT_MS} ms` }), REDIS_TIMEOUT_MS); });
    const ping = this.redis.ping().then((): ComponentCheck => ({ ok: true }), (e: Error): ComponentCheck => ({ ok: false, detail: e.message }));
    return Promise.race([ping, timeout]).finally(() => clearTimeout(timer));
  }
}
