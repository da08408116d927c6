// Periodic work and queue probes on BullMQ, beside the operation queues of jobs.ts: a job
// scheduler per key (every replica shares it; BullMQ makes one job per interval), a worker for
// jobs that are not operations, a read of someone else's queue (without writing its meta) and
// QueueEvents to react when a watched queue gets work. (The autoscaler's loop uses all four.)
import { Queue, QueueEvents, Worker } from 'bullmq';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { BosunLogger } from '@bosun/logging';

/** A scheduled job as its processor sees it: `slot` is the scheduler's time slot (its identity across replicas). */
export interface TickJob { name: string; data: { autoscalerId: string; trigger: 'schedule' | 'wake' }; id?: string; slot?: number; attempt: number }

/** One queue of evaluation jobs: a job scheduler per autoscaler, and early wake-ups by job id (deduplicated). */
export class TickQueue {
  private readonly queue: Queue;
  constructor(readonly name: string, connection: Redis, logger: BosunLogger) {
    this.queue = new Queue(name, { connection });
    this.queue.on('error', (err) => logger.warn({ err: err.message, queue: name }, 'tick queue error'));
  }

  /**
   * One scheduler per autoscaler, kept in Redis: every replica shares it, a restart finds it, and BullMQ
   * produces exactly one job per interval however many workers there are.
   */
  async schedule(autoscalerId: string, everyMs: number): Promise<void> {
    await this.queue.upsertJobScheduler(autoscalerId, { every: everyMs }, {
      name: 'tick', data: { autoscalerId, trigger: 'schedule' },
      opts: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
    });
  }

  async unschedule(autoscalerId: string): Promise<void> {
    await this.queue.removeJobScheduler(autoscalerId);
  }

  async scheduled(): Promise<string[]> {
    return (await this.queue.getJobSchedulers(0, -1)).map((s) => s.key);
  }

  /** An early evaluation; the same `dedupeId` twice adds one job (replicas all see the same queue event). */
  async wake(autoscalerId: string, dedupeId: string): Promise<void> {
    await this.queue.add('wake', { autoscalerId, trigger: 'wake' }, { jobId: dedupeId, attempts: 1, removeOnComplete: { age: 60 }, removeOnFail: { age: 60 } });
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

/** Runs evaluation jobs; a closed worker finishes its jobs first (no half-done tick on shutdown). */
export class TickWorker {
  private readonly worker: Worker;
  constructor(queue: string, connection: Redis, concurrency: number, process: (job: TickJob) => Promise<void>, logger: BosunLogger) {
    this.worker = new Worker(queue, (job: Job) => process(tickJob(job)), { connection, concurrency, lockDuration: 30_000, stalledInterval: 15_000, autorun: false });
    this.worker.on('error', (err) => logger.warn({ err: err.message, queue }, 'tick worker error'));
    this.worker.on('failed', (job, err) => logger.warn({ job: job?.id, err: err.message }, 'tick failed'));
  }

  start(): void {
    void this.worker.run();
  }

  running(): boolean {
    return this.worker.isRunning();
  }

  async close(): Promise<void> {
    await this.worker.close();
  }
}

/** A scheduler's job is `repeat:<scheduler id>:<slot millis>`: the slot is the tick's identity across replicas. */
const slotOf = (job: Job): number | undefined => {
  const m = /^repeat:.+:(\d+)$/.exec(job.id ?? '');
  return m ? Number(m[1]) : undefined;
};
const tickJob = (job: Job): TickJob => ({ name: job.name, data: job.data as TickJob['data'], id: job.id, attempt: job.attemptsMade + 1, slot: slotOf(job) });

export interface BullmqQueueCounts { exists: boolean; waiting: number; prioritized: number; active: number }

/**
 * Reads a BullMQ queue someone else owns. `skipMetasUpdate` so that looking does not create
 * the queue's meta key (which is how a queue is told from a missing one): a queue exists when
 * its `bull:<name>:meta` hash (written by any BullMQ Queue that opened it) or its `id` counter
 * (written by the first add) is there, or it holds jobs.
 */
export async function bullmqCounts(connection: Redis, name: string, prefix = 'bull'): Promise<BullmqQueueCounts> {
  const queue = new Queue(name, { connection, prefix, skipMetasUpdate: true });
  queue.on('error', () => undefined);
  try {
    const counts = await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'completed', 'failed', 'waiting-children');
    const keys = await connection.exists(`${prefix}:${name}:meta`, `${prefix}:${name}:id`);
    const any = Object.values(counts).some((n) => n > 0);
    return { exists: keys > 0 || any, waiting: counts.waiting ?? 0, prioritized: counts.prioritized ?? 0, active: counts.active ?? 0 };
  } finally {
    await queue.close();
  }
}

/** Calls `onWork` when a job is added to or waits in the queue (BullMQ's own event stream, `bull:<name>:events`). */
export class QueueWatch {
  private readonly events: QueueEvents;
  constructor(connection: Redis, readonly name: string, onWork: () => void, logger: BosunLogger) {
    // QueueEvents reads its stream with a blocking XREAD: BullMQ duplicates the connection for it.
    this.events = new QueueEvents(name, { connection, autorun: true });
    this.events.on('error', (err) => logger.warn({ err: err.message, queue: name }, 'queue events error'));
    this.events.on('waiting', onWork);
    this.events.on('added', onWork);
  }

  async close(): Promise<void> {
    await this.events.close();
  }
}
