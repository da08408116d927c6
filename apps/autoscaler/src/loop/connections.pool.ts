import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationShutdown } from '@nestjs/common';
import { connectNats, connectRedis } from '@bosun/messaging';
import type { NatsConnection, Redis } from '@bosun/messaging';
import type { BosunLogger } from '@bosun/logging';
import { LOGGER, NATS, REDIS } from '@bosun/service-kit';

/**
 * Connections to the queues Queue metrics watch: Bosun's own Redis and NATS by default (the
 * kit's connections), one shared connection per other URL a metric names.
 */
@Injectable()
export class ConnectionsPool implements OnApplicationShutdown {
  private readonly redises = new Map<string, Redis>();
  private readonly natses = new Map<string, Promise<NatsConnection>>();

  constructor(@Inject(REDIS) private readonly redis: Redis, @Inject(NATS) private readonly nc: NatsConnection, @Inject(LOGGER) private readonly logger: BosunLogger) {}

  redisFor(url: string | undefined): Redis {
    if (!url) return this.redis;
    let r = this.redises.get(url);
    if (!r) this.redises.set(url, (r = connectRedis(url, 'autoscaler-queue-metrics', this.logger)));
    return r;
  }

  natsFor(url: string | undefined): Promise<NatsConnection> {
    if (!url) return Promise.resolve(this.nc);
    let c = this.natses.get(url);
    if (!c) {
      c = connectNats(url, 'autoscaler-queue-metrics', this.logger);
      c.catch(() => this.natses.delete(url));
      this.natses.set(url, c);
    }
    return c;
  }

  async onApplicationShutdown(): Promise<void> {
    for (const r of this.redises.values()) r.disconnect();
    for (const c of this.natses.values()) await (await c.catch(() => undefined))?.drain().catch(() => undefined);
  }
}
