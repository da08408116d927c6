import { Inject, Injectable } from '@nestjs/common';
import type { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { BosunLogger } from '@bosun/logging';
import { JobWorker, OperationReporter } from '@bosun/messaging';
import type { Redis } from '@bosun/messaging';
import { HealthRegistry, LOGGER, REDIS } from '@bosun/service-kit';
import { OperationCancellations } from './operation.cancellations';
import { classifyFailure, ReportedFailure } from './operation.failure';
import { OPERATIONS_QUEUE } from './operation.queue';
import type { OperationJob, OperationJobData } from './operation.queue';
import { Interrupted, OperationRunner } from './operation.runner';

/**
 * Jobs mostly wait on the shared informers, so one worker holds many at once: enough for
 * hundreds of concurrent rollouts per replica without a watch or a poll each.
 */
export const WORKER_CONCURRENCY = 1000;
const HAND_OVER_TIMEOUT_MS = 2000;

/**
 * BullMQ's own signal for "this job was moved back by hand, it did not fail": recognised by
 * name, since @bosun/messaging does not re-export bullmq's DelayedError.
 */
class HandedOver extends Error {
  constructor() {
    super('handed over to another worker');
    this.name = 'DelayedError';
  }
}

/** Runs operation jobs; on shutdown gives running ones back instead of waiting for their rollouts. */
@Injectable()
export class OperationWorker implements OnModuleInit, OnModuleDestroy {
  private worker?: JobWorker<OperationJobData>;
  private readonly stopping = new AbortController();

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly logger: BosunLogger,
    private readonly runner: OperationRunner,
    private readonly reporter: OperationReporter,
    private readonly health: HealthRegistry,
    private readonly cancellations: OperationCancellations,
  ) {}

  onModuleInit(): void {
    this.worker = new JobWorker<OperationJobData>({
      queue: OPERATIONS_QUEUE,
      connection: this.redis,
      concurrency: WORKER_CONCURRENCY,
      logger: this.logger,
      process: (job) => this.process(job),
      onExhausted: (job, err) => this.exhausted(job, err),
    });
    this.worker.start();
    this.health.register('operations-worker', () => this.worker?.health() ?? { ok: false, detail: 'not started' });
  }

  /** Before the runtime closes Redis and NATS: stop tracking, hand jobs back, then close. */
  async onModuleDestroy(): Promise<void> {
    this.stopping.abort();
    await this.worker?.close();
  }

  private async process(job: OperationJob): Promise<void> {
    const { operationId } = job.data;
    const cancelled = this.cancellations.register(operationId);
    try {
      await this.runner.run(job, AbortSignal.any([this.stopping.signal, cancelled]));
    } catch (err) {
      if (!(err instanceof Interrupted)) throw err;
      // Cancelled: the gateway already shows it; the job ends here, nothing more is reported.
      if (cancelled.aborted) return this.logger.info({ operationId }, 'operation stopped after cancel');
      return this.handOver(job);
    } finally {
      this.cancellations.release(operationId);
    }
  }

  /**
   * Back to the queue without spending an attempt; whoever picks it up resumes it by
   * re-reading the cluster. If Redis cannot be reached now, the job's lock simply expires
   * and BullMQ's stalled-job check hands it over instead.
   */
  private async handOver(job: OperationJob): Promise<void> {
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), HAND_OVER_TIMEOUT_MS).unref());
    try {
      await Promise.race([job.moveToDelayed(Date.now(), job.token), timeout]);
      this.logger.info({ operationId: job.data.operationId }, 'operation handed back to the queue');
    } catch (err) {
      this.logger.warn({ operationId: job.data.operationId, err }, 'could not hand the operation back; it resumes once its lock expires');
    }
    throw new HandedOver();
  }

  /** Safety net: a job that ended without the runner reporting (it reports its own failures). */
  private async exhausted(job: OperationJob, err: Error): Promise<void> {
    if (err instanceof ReportedFailure) return;
    const { failure } = classifyFailure(err);
    await this.reporter.failed(job.data.operationId, { code: failure.code, message: failure.message });
  }
}
