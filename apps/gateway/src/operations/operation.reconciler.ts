import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { commandConsumer, isTerminal, OPERATION_STATUS_QUERY, operationStatusSchema, querySubject, STREAMS } from '@bosun/contracts';
import type { Operation, OperationStatusReport, ServiceName } from '@bosun/contracts';
import { BOSUN_CONFIG } from '@bosun/config';
import type { BosunConfig } from '@bosun/config';
import type { BosunLogger } from '@bosun/logging';
import { consumerBacklog, OperationControl } from '@bosun/messaging';
import type { NatsConnection, Redis } from '@bosun/messaging';
import type { OperationChange } from '@bosun/gateway-domain';
import { BosunClientProxy, LOGGER, NATS } from '@bosun/service-kit';
import type { GatewayOptions } from '../gateway.options';
import { OperationMetrics } from '../system/metrics';
import { GATEWAY_OPTIONS, STATE_REDIS } from '../tokens';
import { OperationStore } from './operation.store';
import type { PendingCommand } from './operation.store';
import { PeriodicRound } from './periodic.round';
import { OperationsService } from './operations.service';

export type ReconcileOutcome = 'folded' | 'lost' | 'left' | 'unanswered' | 'dropped';

const LOCK = 'bosun:reconciler:lock';
const BATCH = 200;
const CONCURRENCY = 16;
const RECONCILER = 'bosun:reconciler';

/**
 * No operation stays queued or running forever: one whose events were lost (a Redis outage
 * longer than the events consumer's redelivery budget, a service that crashed between its
 * change and its report) is asked about, after a while, from the service that owns it.
 * One gateway replica reconciles at a time (a short Redis lock).
 */
@Injectable()
export class OperationReconciler implements OnModuleInit, OnApplicationShutdown {
  private readonly round: PeriodicRound;
  private readonly afterMs: number;
  private readonly queryTimeoutMs: number;
  /** Per round: how far each service's command consumer has acknowledged (undefined: could not be read). */
  private ackFloors = new Map<ServiceName, Promise<number | undefined>>();

  constructor(
    private readonly store: OperationStore,
    private readonly operations: OperationsService,
    private readonly client: BosunClientProxy,
    private readonly control: OperationControl,
    private readonly metrics: OperationMetrics,
    @Inject(STATE_REDIS) redis: Redis,
    @Inject(BOSUN_CONFIG) config: BosunConfig,
    @Inject(LOGGER) private readonly logger: BosunLogger,
    @Inject(GATEWAY_OPTIONS) options: GatewayOptions,
    @Inject(NATS) private readonly nc: NatsConnection,
  ) {
    this.afterMs = (options.reconciler?.afterSeconds ?? 120) * 1000;
    this.queryTimeoutMs = options.reconciler?.queryTimeoutMs ?? 2000;
    this.round = new PeriodicRound({
      name: 'reconcile', intervalMs: (options.reconciler?.intervalSeconds ?? 30) * 1000, run: () => this.reconcileOnce(), logger,
      lock: { redis, key: LOCK, holder: config.instanceId },
    });
  }

  onModuleInit(): void {
    this.round.start();
    void this.store.backfillOpenIndex().then(
      (added) => added && this.logger.info({ added }, 'open operations made before the open index was added to it'),
      (err: unknown) => this.logger.warn({ err }, 'open-index backfill failed; it runs again at the next start'),
    );
  }

  onApplicationShutdown(): void {
    this.round.stop();
  }

  /** One round: every operation open and unchanged for longer than `afterSeconds`. */
  async reconcileOnce(now = Date.now()): Promise<Record<string, ReconcileOutcome>> {
    const ids = await this.store.openSince(now - this.afterMs, BATCH);
    this.ackFloors = new Map();
    const outcomes: Record<string, ReconcileOutcome> = {};
    for (let i = 0; i < ids.length; i += CONCURRENCY) {
      const chunk = ids.slice(i, i + CONCURRENCY);
      const results = await Promise.all(chunk.map((id) => this.reconcile(id)));
      chunk.forEach((id, j) => { outcomes[id] = results[j]; });
    }
    for (const outcome of Object.values(outcomes)) this.metrics.reconciled.inc({ outcome });
    return outcomes;
  }

  private async reconcile(id: string): Promise<ReconcileOutcome> {
    const op = await this.store.get(id);
    if (!op || isTerminal(op.status) || op.status === 'awaiting_approval') {
      await this.store.forgetOpen(id);
      return 'dropped';
    }
    // Not on the stream yet: the dispatcher's, not a lost operation.
    if (await this.store.isUnsent(id)) return 'left';
    const pending = await this.operations.pending(id);
    if (!pending) return this.lost(op);
    const { service } = pending;
    const reply = await this.client.ask<OperationStatusReport>(querySubject(service, OPERATION_STATUS_QUERY), { cluster: op.target.cluster, params: { operationId: id } }, this.queryTimeoutMs);
    // No responders, a timeout, a service that does not answer this query yet: ask again next round.
    if (!reply.ok) {
      this.logger.debug({ operationId: id, service, code: reply.error.code }, 'operation status not answered');
      return 'unanswered';
    }
    const report = operationStatusSchema.safeParse(reply.value);
    if (!report.success || report.data.operationId !== id) {
      this.logger.warn({ operationId: id, service }, 'operation status reply does not match the contract');
      return 'unanswered';
    }
    return this.fold(op, pending, report.data);
  }

  private async fold(op: Operation, pending: PendingCommand, r: OperationStatusReport): Promise<ReconcileOutcome> {
    const { service } = pending;
    const at = r.at ?? new Date().toISOString();
    let change: OperationChange;
    if (r.state === 'succeeded') change = { type: 'succeeded', at, result: r.result };
    else if (r.state === 'failed') change = { type: 'failed', at, result: r.result, error: r.error ?? { code: 'Internal', message: `the ${service} service reported a failure without a reason` } };
    else if (r.state === 'unknown') return (await this.onItsWay(pending)) ? 'left' : this.lost(op, service);
    else return 'left';
    if (await this.operations.change(op.id, change)) this.logger.info({ operationId: op.id, service, state: r.state }, 'reconciled');
    return 'folded';
  }

  /**
   * A command the service has not acknowledged yet is on its way, not lost: a replica that
   * died holding it (JetStream redelivers it after its ack wait), or one not delivered yet.
   * Its stream sequence above the consumer's ack floor says so. A floor that cannot be read
   * leaves it for the next round; a record from before sequences were kept cannot tell.
   */
  private async onItsWay(pending: PendingCommand): Promise<boolean> {
    if (!pending.seq) return false;
    let floor = this.ackFloors.get(pending.service);
    if (!floor) {
      floor = consumerBacklog(this.nc, STREAMS.commands.name, commandConsumer(pending.service)).then((probe) => {
        if (probe.ok) return probe.info.ack_floor_stream_seq;
        this.logger.debug({ service: pending.service, reason: probe.reason }, 'command consumer not readable');
        return undefined;
      });
      this.ackFloors.set(pending.service, floor);
    }
    const acked = await floor;
    return acked === undefined || pending.seq > acked;
  }

  /**
   * The owner does not know the operation. Recorded as cancelled first: if its command is
   * still on its way, the service's claim is refused, so "never run" stays true. If the
   * service had claimed it, the change was made and its record is gone: the outcome is unknown.
   */
  private async lost(op: Operation, service?: ServiceName): Promise<ReconcileOutcome> {
    const outcome = await this.control.cancel(op.id, RECONCILER, 'lost');
    const owner = service ? `the ${service} service` : 'its service';
    let message: string;
    if (outcome.outcome === 'too-late') message = `${owner} has no record of this operation any more; it had started changing the cluster (${outcome.claimedAt}) and its outcome is unknown`;
    else if (service) message = `${owner} has no record of this operation; it was never run`;
    else message = 'the gateway no longer has the command of this operation; it was never run';
    await this.operations.change(op.id, { type: 'failed', at: new Date().toISOString(), error: { code: 'Lost', message } });
    this.logger.warn({ operationId: op.id, service, claimed: outcome.outcome === 'too-late' }, 'operation lost');
    return 'lost';
  }
}
