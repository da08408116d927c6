import { Global, Inject, Module, Optional } from '@nestjs/common';
import type { DynamicModule, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { BOSUN_CONFIG, ConfigModule } from '@bosun/config';
import type { BosunConfig } from '@bosun/config';
import type { ServiceName } from '@bosun/contracts';
import type { BosunLogger } from '@bosun/logging';
import { awaitStreams, connectNats, connectRedis, ensureStreams, JetStreamPublisher, OperationReporter, QueryClient } from '@bosun/messaging';
import type { NatsAuth, NatsConnection, Redis } from '@bosun/messaging';
import { HealthRegistry } from './health.registry';
import { LOGGER, NATS, REDIS } from './tokens';

/**
 * The shared runtime of every Bosun process: typed config, the logger, one NATS
 * connection as the app's own principal (not chatops'), one Redis connection, publishers and health.
 */
@Global()
@Module({})
export class RuntimeModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Optional() @Inject(NATS) private readonly nc: NatsConnection | undefined,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(BOSUN_CONFIG) private readonly config: BosunConfig,
    private readonly health: HealthRegistry,
  ) {}

  static forRoot(config: BosunConfig, logger: BosunLogger): DynamicModule {
    // Chatops reaches Bosun only through the gateway's API: it is no principal on the bus (ADR 0005).
    const bus = config.app !== 'chatops';
    const natsProviders = [
      {
        provide: NATS,
        useFactory: async (): Promise<NatsConnection> => {
          const nc = await connectNats(config.natsUrl, config.instanceId, logger, natsAuthOf(config));
          // Only the gateway may declare the streams (ADR 0005); services wait for them.
          if (config.app === 'gateway') await ensureStreams(nc, { commandMaxAgeMs: config.commandMaxAgeSeconds * 1000 });
          else await awaitStreams(nc, logger);
          return nc;
        },
      },
      { provide: JetStreamPublisher, inject: [NATS], useFactory: (nc: NatsConnection) => new JetStreamPublisher(nc) },
      // A service's reports go out under its own subjects (the gateway never reports).
      { provide: OperationReporter, inject: [JetStreamPublisher], useFactory: (p: JetStreamPublisher) => new OperationReporter(p, config.app as ServiceName) },
      { provide: QueryClient, inject: [NATS], useFactory: (nc: NatsConnection) => new QueryClient(nc) },
    ];
    return {
      module: RuntimeModule,
      imports: [ConfigModule.forRoot(config)],
      providers: [
        { provide: LOGGER, useValue: logger },
        ...(bus ? natsProviders : []),
        { provide: REDIS, useFactory: (): Redis => connectRedis(config.redisUrl, config.instanceId, logger) },
        HealthRegistry,
      ],
      exports: [LOGGER, REDIS, HealthRegistry, ConfigModule, ...(bus ? [NATS, JetStreamPublisher, OperationReporter, QueryClient] : [])],
    };
  }

  onModuleInit(): void {
    const nc = this.nc;
    if (nc) this.health.register('nats', () => (nc.isClosed() ? { ok: false, detail: 'nats connection closed' } : { ok: true }));
    this.health.register('redis', () => (this.redis.status === 'ready' ? { ok: true } : { ok: false, detail: `redis ${this.redis.status}` }));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.nc?.drain().catch(() => undefined);
    this.redis.disconnect();
    void this.config;
  }
}

/** A process is the NATS principal of its app; without a seed it connects anonymously (a NATS without auth). */
export const natsAuthOf = (config: BosunConfig): NatsAuth | undefined =>
  config.natsSeed ? { principal: config.app, seed: config.natsSeed } : undefined;
