import { DelayedError, Queue, Worker, UnrecoverableError } from 'bullmq';
import type { Job, JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { BosunLogger } from '@bosun/logging';
import { runWithLogContext } from '@bosun/logging';

export { DelayedError, UnrecoverableError };
export type { Job };

/** Job data always names its operation: the job id is the operation id (idempotent adds). */
export interface OperationJobData { operationId: string }

const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 500 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** Producer side of a service's work queue. */
export class JobQueue<T extends OperationJobData> {
  readonly queue: Queue<T>;
  constructor(name: string, connection: Redis, logger?: BosunLogger) {
    this.queue = new Queue<T>(name, { connection, defaultJobOptions: DEFAULT_JOB_OPTIONS });
    // Without a listener BullMQ prints every Redis connection error to the console.
    this.queue.on('error', (err) => logger?.warn({ err: err.message, queue: name }, 'queue error'));
  }

  /** Adding the same operation twice is a no-op: BullMQ ignores a duplicate job id. */
  async add(jobName: string, data: T, opts: JobsOptions = {}): Promise<void> {
    await this.queue.add(jobName as never, data as never, { ...opts, jobId: data.operationId });
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

export interface JobWorkerOptions<T> {
  queue: string;
  connection: Redis;
  concurrency: number;
  process: (job: Job<T>) => Promise<unknown>;
  /** Runs after the last attempt failed: the place to fail the operation. */
  onExhausted?: (job: Job<T>, error: Error) => Promise<void>;
  logger: BosunLogger;
  /** A job whose lock is not renewed (crashed worker) is picked up again after this. */
  lockDurationMs?: number;
}

/** Worker with concurrency, retries with back-off, log context and graceful shutdown. */
export class JobWorker<T extends OperationJobData> {
  private readonly worker: Worker<T>;
  constructor(private readonly opts: JobWorkerOptions<T>) {
    this.worker = new Worker<T>(
      opts.queue,
      (job) => runWithLogContext({ operationId: job.data.operationId, job: job.name }, () => opts.process(job)),
      { connection: opts.connection, concurrency: opts.concurrency, lockDuration: opts.lockDurationMs ?? 30_000, stalledInterval: 15_000, autorun: false },
    );
    this.worker.on('failed', (job, err) => void this.failed(job, err));
    this.worker.on('error', (err) => opts.logger.warn({ err: err.message, queue: opts.queue }, 'worker error'));
  }

  start(): void {
    void this.worker.run();
  }

  health(): { ok: boolean; detail?: string } {
    return this.worker.isRunning() ? { ok: true } : { ok: false, detail: `worker ${this.opts.queue} is not running` };
  }

  async close(): Promise<void> {
    await this.worker.close();
  }

  private async failed(job: Job<T> | undefined, err: Error): Promise<void> {
    if (!job) return;
    // BullMQ fails a job that stalled too often (its workers kept dying) without using attempts: that is final too.
    const exhausted = err instanceof UnrecoverableError || err.name === 'UnrecoverableError' || /stalled more than allowable limit/i.test(err.message) || job.attemptsMade >= (job.opts.attempts ?? 1);
    this.opts.logger.warn({ operationId: job.data.operationId, attempt: job.attemptsMade, err: err.message, exhausted }, 'job attempt failed');
    if (exhausted) await this.opts.onExhausted?.(job, err).catch((e) => this.opts.logger.error({ err: e }, 'onExhausted failed'));
  }
}
