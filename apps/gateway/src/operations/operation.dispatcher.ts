import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { BosunLogger } from '@bosun/logging';
import { LOGGER } from '@bosun/service-kit';
import type { GatewayOptions } from '../gateway.options';
import { OperationMetrics } from '../system/metrics';
import { GATEWAY_OPTIONS } from '../tokens';
import { OperationStore } from './operation.store';
import { PeriodicRound } from './periodic.round';
import { OperationsService } from './operations.service';

const BATCH = 100;

/**
 * The outbox's sender: a queued operation whose command the stream has not acknowledged —
 * NATS was away when it was accepted, the publish timed out, or the gateway died between
 * storing it and sending it — is sent again until it is. Every replica sends; the stream
 * deduplicates by operation id (and a service runs one job per operation id), so two sends
 * are one command. An operation that ended meanwhile (cancelled) leaves the outbox unsent.
 */
@Injectable()
export class OperationDispatcher implements OnModuleInit, OnApplicationShutdown {
  private readonly round: PeriodicRound;
  /** Left to the request that accepted it for this long before the dispatcher sends it. */
  private readonly graceMs: number;

  constructor(
    private readonly store: OperationStore,
    private readonly operations: OperationsService,
    private readonly metrics: OperationMetrics,
    @Inject(LOGGER) private readonly logger: BosunLogger,
    @Inject(GATEWAY_OPTIONS) options: GatewayOptions,
  ) {
    this.graceMs = options.dispatcher?.graceMs ?? 2000;
    // No lock: every replica sends, the stream deduplicates.
    this.round = new PeriodicRound({ name: 'outbox', intervalMs: options.dispatcher?.intervalMs ?? 1000, run: () => this.sendDue(), logger });
  }

  onModuleInit(): void {
    this.round.start();
  }

  onApplicationShutdown(): void {
    this.round.stop();
  }

  /** One round: every command due for longer than the grace period. Returns how many went out. */
  async sendDue(now = Date.now()): Promise<number> {
    const ids = await this.store.unsent(now - this.graceMs, BATCH);
    this.metrics.unsentCommands.set(ids.length);
    let sent = 0;
    for (const id of ids) {
      const [op, pending] = await Promise.all([this.store.get(id), this.store.pending(id)]);
      // Ended (cancelled, expired, lost) or already acknowledged: nothing to send.
      if (!op || op.status !== 'queued' || !pending || pending.sent) {
        await this.store.sent(id, pending);
        continue;
      }
      if (!(await this.operations.dispatch(id, pending))) break; // the bus is still away: next round
      sent++;
      this.logger.info({ operationId: id, kind: op.kind }, 'command sent from the outbox');
    }
    return sent;
  }
}
