import { Inject, Injectable } from '@nestjs/common';
import type { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { BosunLogger } from '@bosun/logging';
import { decodeJson, encodeJson } from '@bosun/messaging';
import type { NatsConnection } from '@bosun/messaging';
import { LOGGER, NATS } from '@bosun/service-kit';

/**
 * Core-NATS fan-out of "stop working on this operation" to every deployer replica: the
 * cancel command reaches one replica (work queue), the job may be running on another.
 * Deployer-internal; not persisted (a replica that is down has no job to stop).
 */
export const CANCEL_FANOUT_SUBJECT = 'bosun.ntf.deployer.cancel.v1';

/** The cancellation signals of the operations this replica is running. */
@Injectable()
export class OperationCancellations implements OnModuleInit, OnModuleDestroy {
  private readonly running = new Map<string, AbortController>();
  private sub?: { unsubscribe(): void };

  constructor(@Inject(NATS) private readonly nc: NatsConnection, @Inject(LOGGER) private readonly logger: BosunLogger) {}

  onModuleInit(): void {
    this.sub = this.nc.subscribe(CANCEL_FANOUT_SUBJECT, {
      callback: (err, msg) => {
        if (err) return;
        const { operationId } = decodeJson(msg.data) as { operationId?: string };
        if (operationId) this.abortLocal(operationId);
      },
    });
  }

  onModuleDestroy(): void {
    this.sub?.unsubscribe();
  }

  /** The signal that tells a running operation it was cancelled; `release` it when done. */
  register(operationId: string): AbortSignal {
    const controller = this.running.get(operationId) ?? new AbortController();
    this.running.set(operationId, controller);
    return controller.signal;
  }

  release(operationId: string): void {
    this.running.delete(operationId);
  }

  /** Stops the operation wherever it runs. */
  broadcast(operationId: string): void {
    this.nc.publish(CANCEL_FANOUT_SUBJECT, encodeJson({ operationId }));
  }

  private abortLocal(operationId: string): void {
    const controller = this.running.get(operationId);
    if (!controller) return;
    this.logger.info({ operationId }, 'operation cancelled; it stops here');
    controller.abort();
  }
}
