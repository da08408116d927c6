import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationShutdown } from '@nestjs/common';
import { connectNats, connectRedis } from '@bosun/messaging';
import type { NatsConnection, Redis } from '@bosun/messaging';
import type { BosunLogger } from '@bosun/logging';
import { BOSUN_CONFIG } from '@bosun/config';
import type { BosunConfig } from '@bosun/config';
import { LOGGER, NATS, REDIS } from '@bosun/service-kit';

/**
 * Connections to the queues Queue metrics watch: Bosun's own Redis and NATS server by default,
 * one shared connection per other URL a metric names. On Bosun's NATS, workloads' queues live
 * in their own account (ADR 0005), read as its `queue-reader` user when a seed is configured;
 * without one (a NATS without accounts) the kit's connection is used.
 */
@Injectable()
export class ConnectionsPool implements OnApplicationShutdown {
  private readonly redises = new Map<string, Redis>();
  private readonly natses = new Map<string, Promise<NatsConnection>>();

  private own?: Promise<NatsConnection>;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(NATS) private readonly nc: NatsConnection,
    @Inject(LOGGER) private readonly logger: BosunLogger,
    @Inject(BOSUN_CONFIG) private readonly config: BosunConfig,
  ) {}

  redisFor(url: string | undefined): Redis {
    if (!url) return this.redis;
    let r = this.redises.get(url);
    if (!r) this.redises.set(url, (r = connectRedis(url, 'autoscaler-queue-metrics', this.logger)));
    return r;
  }

  natsFor(url: string | undefined): Promise<NatsConnection> {
    if (!url) return this.ownServer();
    let c = this.natses.get(url);
    if (!c) {
      // A user's server: answered now or reported in the decision, not waited for.
      c = connectNats(url, 'autoscaler-queue-metrics', this.logger, undefined, { firstConnectDeadlineMs: 0 });
      c.catch(() => this.natses.delete(url));
      this.natses.set(url, c);
    }
    return c;
  }

  private ownServer(): Promise<NatsConnection> {
    const seed = this.config.queueReaderSeed;
    if (!seed) return Promise.resolve(this.nc);
    if (!this.own) {
      this.own = connectNats(this.config.natsUrl, 'autoscaler-queue-reader', this.logger, { principal: 'queue-reader', seed });
      this.own.catch(() => (this.own = undefined));
    }
    return this.own;
  }

  async onApplicationShutdown(): Promise<void> {
    await (await this.own?.catch(() => undefined))?.drain().catch(() => undefined);
    for (const r of this.redises.values()) r.disconnect();
    for (const c of this.natses.values()) await (await c.catch(() => undefined))?.drain().catch(() => undefined);
  }
}
