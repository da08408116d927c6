import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationShutdown } from '@nestjs/common';
import { commandConsumer, commandEnvelopeSchema, commandSubject, jobQueue, serviceCommandFilter, STREAMS } from '@bosun/contracts';
import type { CommandEnvelope, OperationStatusReport, ServiceName } from '@bosun/contracts';
import { BOSUN_CONFIG } from '@bosun/config';
import type { BosunConfig } from '@bosun/config';
import type { BosunLogger } from '@bosun/logging';
import { DurableConsumer, JetStreamPublisher, JobQueue, JobWorker, OperationControl, OperationReporter } from '@bosun/messaging';
import type { MessageMeta, NatsConnection, Redis } from '@bosun/messaging';
import { HealthRegistry } from '../health.registry';
import { ServiceMetrics } from '../metrics/service.metrics';
import { LOGGER, NATS, REDIS } from '../tokens';
import { Cancellations } from './cancellations';
import type { CommandRoute } from './command.routes';
import { payloadRefusal, refusalOf } from './command.acceptance';
import { failureOf, ReportedFailure } from './operation.job';
import type { OperationJob, OperationJobData, OperationJobResult } from './operation.job';
import { OperationRun } from './operation.run';
import { TargetFifo, targetKey } from './target.fifo';

/**
 * Jobs mostly wait (on informers, evictions, DNS answers), so one worker holds many at once:
 * hundreds of concurrent operations per replica without a thread, watch or poll each.
 */
const WORKER_CONCURRENCY = 1000;

/**
 * The operation lifecycle every service shares, from "a command arrived" to "the terminal
 * event is published": one durable consumer over `bosun.cmd.<service>.>`, routing by exact
 * subject (so `….v2` never reaches a v1 handler), the staleness rule, validation at
 * acceptance, one BullMQ job per operation id, per-object ordering, cancellation, retry vs.
 * final failure, hand-over on shutdown and the operation-status answers for the gateway's
 * reconciler. Services only declare handlers (see OperationHandler).
 */
@Injectable()
export class OperationEngine implements OnApplicationShutdown {
  private readonly routes = new Map<string, CommandRoute>();
  private readonly service: ServiceName;
  private consumer?: DurableConsumer<CommandEnvelope>;
  private queue?: JobQueue<OperationJobData>;
  private worker?: JobWorker<OperationJobData>;
  private control?: OperationControl;
  private cancellations?: Cancellations;
  private fifo?: TargetFifo;
  private readonly stopping = new AbortController();

  constructor(
    @Inject(NATS) private readonly nc: NatsConnection,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(BOSUN_CONFIG) private readonly config: BosunConfig,
    @Inject(LOGGER) private readonly logger: BosunLogger,
    private readonly publisher: JetStreamPublisher,
    private readonly reporter: OperationReporter,
    private readonly health: HealthRegistry,
    private readonly metrics: ServiceMetrics,
  ) {
    this.service = config.app as ServiceName;
  }

  get queueName(): string {
    return jobQueue(this.service, 'operations');
  }

  register(route: CommandRoute): void {
    this.routes.set(route.subject, route);
  }

  /** Called by the transport once every handler is known. */
  async start(): Promise<void> {
    this.control = await OperationControl.open(this.nc);
    this.cancellations = new Cancellations(this.control, this.logger);
    this.cancellations.start();
    this.queue = new JobQueue<OperationJobData>(this.queueName, this.redis, this.logger);
    this.fifo = new TargetFifo(this.redis, `bosun:fifo:${this.service}`, (id) => this.isAlive(id));
    this.metrics.watchQueue(this.queue.queue);
    this.worker = new JobWorker<OperationJobData>({
      queue: this.queueName, connection: this.redis, concurrency: WORKER_CONCURRENCY, logger: this.logger,
      process: (job) => this.process(job as OperationJob),
      onExhausted: (job, err) => this.exhausted(job as OperationJob, err),
    });
    this.worker.start();
    this.consumer = new DurableConsumer<CommandEnvelope>(this.nc, this.publisher, {
      stream: STREAMS.commands.name, durable: commandConsumer(this.service), filterSubjects: [serviceCommandFilter(this.service)],
      schema: commandEnvelopeSchema as never, maxDeliver: this.config.commandMaxDeliver,
      handler: (env, meta) => this.accept(env, meta),
      onDeadLetter: async (raw, reason) => {
        const id = (raw as { operationId?: string } | undefined)?.operationId;
        if (id) await this.reporter.failed(id, { code: 'DeadLettered', message: `the ${this.service} service could not process this command: ${reason}` });
      },
    }, this.logger);
    await this.consumer.start();
    this.health.register('commands', () => this.consumer!.health());
    this.health.register('operations-worker', () => this.worker?.health() ?? { ok: false, detail: 'not started' });
  }

  /** Before the runtime closes Redis and NATS: stop taking commands, hand running jobs back, then close. */
  async onApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.consumer?.stop();
    this.cancellations?.stop();
    await this.worker?.close();
    await this.queue?.close();
  }

  /**
   * The gateway's `validate` question for a service that has no validate query of its own:
   * the command's schema and domain rules, so a request that cannot work is a 422 naming the
   * field before anything is queued.
   */
  validate(action: string, kind: string, payload: unknown): { fieldErrors: [] } {
    const subject = commandSubject(this.service, action);
    const refusal = payloadRefusal(subject, this.routes.get(subject), kind, payload);
    if (refusal) throw refusal;
    return { fieldErrors: [] };
  }

  /** What became of an operation, for the gateway's reconciler. */
  async status(operationId: string): Promise<OperationStatusReport> {
    // State first, then the record: a job read before it finished has no return value yet.
    const state = await this.queue?.queue.getJobState(operationId);
    const job = (await this.queue?.queue.getJob(operationId)) as OperationJob | undefined;
    if (!job || !state || state === 'unknown') return { operationId, state: 'unknown' };
    const at = job.finishedOn ? new Date(job.finishedOn).toISOString() : undefined;
    if (state === 'completed') {
      const r = job.returnvalue as OperationJobResult | undefined;
      return r?.outcome === 'cancelled'
        ? { operationId, state: 'failed', error: { code: 'Cancelled', message: 'cancelled before it changed anything' }, at }
        : { operationId, state: 'succeeded', result: r?.outcome === 'succeeded' ? r.result : undefined, at };
    }
    if (state === 'failed') return { operationId, state: 'failed', error: failureOf(job.failedReason), at };
    return { operationId, state: state === 'active' ? 'active' : 'waiting' };
  }

  /** A command off the stream: route, staleness, validation, a place in line, a job. */
  private async accept(env: CommandEnvelope, meta: MessageMeta): Promise<void> {
    const refusal = refusalOf(env, meta.subject, this.routes.get(meta.subject), this.config.commandMaxAgeSeconds);
    if (refusal) {
      this.logger.warn({ operationId: env.operationId, subject: meta.subject, code: refusal.code }, 'command refused');
      this.metrics.operationEnded(env.kind, 'refused');
      return this.reporter.failed(env.operationId, { code: refusal.code, message: refusal.message }, refusal.details.fieldErrors ? { errors: refusal.details.fieldErrors } : undefined);
    }
    const key = targetKey(env.target);
    // One round trip, not two: both go out on the same Redis connection, the place in line
    // first, so Redis has it before the job exists and a worker can look for it.
    const entered = key ? this.fifo!.enter(key, env.operationId, meta.streamSeq) : undefined;
    const added = this.queue!.add(env.kind, { operationId: env.operationId, subject: meta.subject, envelope: env, sequence: meta.streamSeq, acceptedAt: Date.now() });
    await Promise.all([entered, added]);
    this.logger.info({ operationId: env.operationId, kind: env.kind, target: key }, 'operation queued');
  }

  private process(job: OperationJob): Promise<OperationJobResult> {
    const route = this.routes.get(job.data.subject);
    if (!route) throw new Error(`no handler for ${job.data.subject} on this replica`);
    return new OperationRun(job, route, {
      instance: this.config.instanceId, control: this.control!, cancellations: this.cancellations!, fifo: this.fifo!,
      reporter: this.reporter, logger: this.logger, metrics: this.metrics, stopping: this.stopping.signal,
    }).run();
  }

  /** Safety net: a job that ended without the run reporting (stalled too often, a crash in the kit). */
  private async exhausted(job: OperationJob, err: Error): Promise<void> {
    if (err instanceof ReportedFailure) return;
    await this.reporter.failed(job.data.operationId, { code: 'Internal', message: err.message });
    const key = targetKey(job.data.envelope.target);
    if (key) await this.fifo?.leave(key, job.data.operationId);
  }

  private async isAlive(operationId: string): Promise<boolean> {
    const job = await this.queue?.queue.getJob(operationId);
    if (!job) return false;
    const state = await job.getState();
    return state !== 'completed' && state !== 'failed' && state !== 'unknown';
  }
}
