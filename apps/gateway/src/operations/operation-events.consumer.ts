import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { z } from 'zod';
import { OPERATION_EVENTS_FILTER, operationFailedSchema, operationProgressedSchema, operationStartedSchema, operationSucceededSchema, parseOperationEventSubject, STREAMS } from '@bosun/contracts';
import type { OperationEventKind } from '@bosun/contracts';
import type { BosunLogger } from '@bosun/logging';
import { DurableConsumer, JetStreamPublisher } from '@bosun/messaging';
import type { MessageMeta, NatsConnection } from '@bosun/messaging';
import type { OperationChange } from '@bosun/gateway-domain';
import { HealthRegistry, LOGGER, NATS } from '@bosun/service-kit';
import type { GatewayOptions } from '../gateway.options';
import { OperationMetrics } from '../system/metrics';
import { GATEWAY_OPTIONS } from '../tokens';
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
    @Inject(GATEWAY_OPTIONS) private readonly options: GatewayOptions,
    private readonly metrics: OperationMetrics,
  ) {}

  async onModuleInit(): Promise<void> {
    this.consumer = new DurableConsumer(this.nc, this.publisher, {
      stream: STREAMS.events.name, durable: 'gateway-operations', filterSubjects: [OPERATION_EVENTS_FILTER],
      schema: anyEvent, handler: (e, meta) => this.fold(e, meta.subject),
      // With the default back-off, 20 deliveries ride out a Redis outage of about two and a half minutes.
      maxDeliver: this.options.operationEvents?.maxDeliver ?? 20, ackWaitMs: this.options.operationEvents?.ackWaitMs,
      onDeadLetter: async (raw, reason, meta) => this.deadLettered(raw, reason, meta),
    }, this.logger);
    await this.consumer.start();
    this.health.register('operation-events', () => this.consumer!.health());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }

  /**
   * The event is kept in BOSUN_DLQ (the consumer published it there). Its operation is not
   * failed here: this is usually a Redis outage, and the reconciler asks the service what
   * became of the operation once Redis is back. Nothing here may throw (a throw redelivers).
   */
  private deadLettered(raw: unknown, reason: string, meta: MessageMeta): void {
    const operationId = typeof raw === 'object' && raw && 'operationId' in raw ? String(raw.operationId) : undefined;
    this.metrics.deadLetteredEvents.inc({ subject: meta.subject });
    this.logger.error({ operationId, subject: meta.subject, attempts: meta.deliveryCount, streamSeq: meta.streamSeq, reason }, 'operation event dead-lettered; the reconciler will ask its service');
  }

  private async fold(e: AnyEvent, subject: string): Promise<void> {
    const parsed = parseOperationEventSubject(subject);
    if (!parsed) return;
    // The server lets a service publish only under its own name; here an event must also come
    // from the service its operation was sent to, or one service could finish another's work.
    const { raw, pending } = await this.operations.snapshot(e.operationId);
    const owner = pending?.service;
    if (owner && owner !== parsed.service) {
      this.metrics.foreignEvents.inc({ service: parsed.service });
      this.logger.warn({ operationId: e.operationId, subject, owner }, 'operation event from a service that does not own the operation; ignored');
      return;
    }
    const change = toChange(e, parsed.kind);
    // The document just read is the compare-and-set's first expectation (no second read).
    if (change && raw !== undefined) await this.operations.change(e.operationId, change, raw);
  }
}

function toChange(e: AnyEvent, kind: OperationEventKind): OperationChange | undefined {
  switch (kind) {
    case 'started': return { type: 'started', at: e.at };
    case 'progressed': return { type: 'progressed', at: e.at, progress: (e as z.infer<typeof operationProgressedSchema>).progress };
    case 'succeeded': return { type: 'succeeded', at: e.at, result: (e as z.infer<typeof operationSucceededSchema>).result };
    case 'failed': {
      const f = e as z.infer<typeof operationFailedSchema>;
      return { type: 'failed', at: e.at, error: f.error, result: f.result };
    }
    default: return undefined;
  }
}
