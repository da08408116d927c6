import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { commandEnvelopeSchema, serviceCommandFilter, SERVICES, STREAMS } from '@bosun/contracts';
import type { CommandEnvelope, ServiceName } from '@bosun/contracts';
import { BOSUN_CONFIG } from '@bosun/config';
import type { BosunConfig } from '@bosun/config';
import type { BosunLogger } from '@bosun/logging';
import { DurableConsumer, JetStreamPublisher, OperationReporter } from '@bosun/messaging';
import type { NatsConnection } from '@bosun/messaging';
import { HealthRegistry } from './health.registry';
import { LOGGER, NATS } from './tokens';

export type CommandHandler = (envelope: CommandEnvelope) => Promise<void>;

/**
 * One durable consumer per service over `bosun.cmd.<service>.>`; dispatches by action.
 * A command for an action nobody handles fails its operation with NotImplemented, and
 * one that keeps failing is dead-lettered and fails its operation: nothing hangs.
 */
@Injectable()
export class CommandRouter implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly handlers = new Map<string, CommandHandler>();
  private consumer?: DurableConsumer<CommandEnvelope>;

  constructor(
    @Inject(NATS) private readonly nc: NatsConnection,
    @Inject(BOSUN_CONFIG) private readonly config: BosunConfig,
    @Inject(LOGGER) private readonly logger: BosunLogger,
    private readonly publisher: JetStreamPublisher,
    private readonly reporter: OperationReporter,
    private readonly health: HealthRegistry,
  ) {}

  /** Feature modules register in their constructor or onModuleInit; consumption starts after every module is initialised. */
  handle(action: string, handler: CommandHandler): void {
    this.handlers.set(action, handler);
  }

  async onApplicationBootstrap(): Promise<void> {
    const service = this.config.app as ServiceName;
    if (!SERVICES.includes(service)) return; // gateway and chatops send commands, they do not consume them
    this.consumer = new DurableConsumer<CommandEnvelope>(this.nc, this.publisher, {
      stream: STREAMS.commands.name,
      durable: `${service}-commands`,
      filterSubjects: [serviceCommandFilter(service)],
      schema: commandEnvelopeSchema as never,
      maxDeliver: this.config.commandMaxDeliver,
      handler: (env, meta) => this.dispatch(env, meta.subject),
      onDeadLetter: async (raw, reason) => {
        const id = (raw as { operationId?: string } | undefined)?.operationId;
        if (id) await this.reporter.failed(id, { code: 'DeadLettered', message: `the ${service} service could not process this command: ${reason}` });
      },
    }, this.logger);
    await this.consumer.start();
    this.health.register('commands', () => this.consumer!.health());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }

  private async dispatch(env: CommandEnvelope, subject: string): Promise<void> {
    const action = subject.split('.').slice(3, -1).join('.');
    const handler = this.handlers.get(action);
    if (!handler) {
      this.logger.warn({ action, subject }, 'no handler for command');
      await this.reporter.failed(env.operationId, { code: 'NotImplemented', message: `${this.config.app} does not implement ${action} yet` });
      return;
    }
    await handler(env);
  }
}
