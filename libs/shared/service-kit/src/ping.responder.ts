import { Inject, Injectable } from '@nestjs/common';
import type { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { z } from 'zod';
import { pingSubject } from '@bosun/contracts';
import type { PingReply, ServiceName } from '@bosun/contracts';
import { BOSUN_CONFIG } from '@bosun/config';
import type { BosunConfig } from '@bosun/config';
import type { BosunLogger } from '@bosun/logging';
import { serveQuery } from '@bosun/messaging';
import type { NatsConnection } from '@bosun/messaging';
import { HealthRegistry } from './health.registry';
import { LOGGER, NATS } from './tokens';

const startedAt = Date.now();

/** Answers `bosun.qry.<service>.ping.v1` with the health of every registered component. */
@Injectable()
export class PingResponder implements OnModuleInit, OnModuleDestroy {
  private sub?: { unsubscribe(): void };
  constructor(
    @Inject(NATS) private readonly nc: NatsConnection,
    @Inject(BOSUN_CONFIG) private readonly config: BosunConfig,
    @Inject(LOGGER) private readonly logger: BosunLogger,
    private readonly health: HealthRegistry,
  ) {}

  onModuleInit(): void {
    const service = this.config.app as ServiceName;
    this.sub = serveQuery(this.nc, pingSubject(service), undefined, z.unknown(), async () => ({
      ok: true as const,
      value: {
        service, instance: this.config.instanceId, version: process.env.npm_package_version ?? '0.1.0',
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000), health: await this.health.check(),
      } satisfies PingReply,
    }), this.logger);
  }

  onModuleDestroy(): void {
    this.sub?.unsubscribe();
  }
}
