import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { z } from 'zod';
import { EVENT_SUBJECTS, operationFailedSchema, operationProgressedSchema, operationStartedSchema, operationSucceededSchema, STREAMS } from '@bosun/contracts';
import type { BosunLogger } from '@bosun/logging';
import { DurableConsumer, JetStreamPublisher } from '@bosun/messaging';
import type { NatsConnection } from '@bosun/messaging';
import type { OperationChange } from '@bosun/gateway-domain';
import { HealthRegistry, LOGGER, NATS } from '@bosun/service-kit';
import { OperationsService } from './operations.service';

const anyEvent = z.union([operationFailedSchema, operationProgressedSchema, operationSucceededSchema, operationStartedSchema]);
type AnyEvent = z.infer<typeof anyEvent>;

/** Folds the services' lifecycle events into operation state (durable: none are missed while the gateway is down). */
@Injectable()
export class OperationEventsConsumer implements OnModuleInit, OnApplicationShutdown {
  private consumer?: DurableConsumer<AnyEvent>;
  constructor(
    @Inject(NATS) private readonly nc: NatsConnection,
    @Inject(LOGGER) private readonly logger: BosunLogger,
    private readonly publisher: JetStreamPublisher,
    private readonly operations: OperationsService,
    private readonly health: HealthRegistry,
  ) {}

  async onModuleInit(): Promise<void> {
    this.consumer = new DurableConsumer(this.nc, this.publisher, {
      stream: STREAMS.events.name, durable: 'gateway-operations', filterSubjects: ['bosun.evt.operation.>'],
      schema: anyEvent, maxDeliver: 20, handler: (e, meta) => this.fold(e, meta.subject),
    }, this.logger);
    await this.consumer.start();
    this.health.register('operation-events', () => this.consumer!.health());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }

  private async fold(e: AnyEvent, subject: string): Promise<void> {
    const change = toChange(e, subject);
    if (change) await this.operations.change(e.operationId, change);
  }
}

function toChange(e: AnyEvent, subject: string): OperationChange | undefined {
  switch (subject) {
    case EVENT_SUBJECTS.operationStarted: return { type: 'started', at: e.at };
    case EVENT_SUBJECTS.operationProgressed: return { type: 'progressed', at: e.at, progress: (e as z.infer<typeof operationProgressedSchema>).progress };
    case EVENT_SUBJECTS.operationSucceeded: return { type: 'succeeded', at: e.at, result: (e as z.infer<typeof operationSucceededSchema>).result };
    case EVENT_SUBJECTS.operationFailed: {
      const f = e as z.infer<typeof operationFailedSchema>;
      return { type: 'failed', at: e.at, error: f.error, result: f.result };
    }
    default: return undefined;
  }
}
