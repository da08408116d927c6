import { Inject, Injectable } from '@nestjs/common';
import type { OnModuleDestroy } from '@nestjs/common';
import { jobQueue } from '@bosun/contracts';
import type { Actor, CommandEnvelope } from '@bosun/contracts';
import { JobQueue } from '@bosun/messaging';
import type { Job, Redis } from '@bosun/messaging';
import type { BosunLogger } from '@bosun/logging';
import { LOGGER, REDIS } from '@bosun/service-kit';
import type { DeployerCommand } from './command.payload';

export const OPERATIONS_QUEUE = jobQueue('deployer', 'operations');

/** One deployer operation as a BullMQ job; the job id is the operation id. */
export interface OperationJobData {
  operationId: string;
  kind: string;
  command: DeployerCommand;
  actor: Actor;
  cluster: string;
  issuedAt: string;
  correlationId?: string;
}
export type OperationJob = Job<OperationJobData>;

export const jobDataOf = (envelope: CommandEnvelope, command: DeployerCommand): OperationJobData => ({
  operationId: envelope.operationId,
  kind: envelope.kind,
  command,
  actor: envelope.actor,
  cluster: envelope.target.cluster,
  issuedAt: envelope.issuedAt,
  ...(envelope.correlationId ? { correlationId: envelope.correlationId } : {}),
});

/** Producer side: adding the same operation twice is a no-op (BullMQ ignores a known job id). */
@Injectable()
export class OperationQueue implements OnModuleDestroy {
  private readonly queue: JobQueue<OperationJobData>;

  constructor(@Inject(REDIS) redis: Redis, @Inject(LOGGER) logger: BosunLogger) {
    this.queue = new JobQueue<OperationJobData>(OPERATIONS_QUEUE, redis);
    // Without a listener BullMQ prints every Redis connection error to the console.
    this.queue.queue.on('error', (err) => logger.warn({ err: err.message, queue: OPERATIONS_QUEUE }, 'queue error'));
  }

  enqueue(data: OperationJobData): Promise<void> {
    return this.queue.add(data.command.action, data);
  }

  /** Drops the job if it has not started yet; true when it was dropped. */
  async dropIfPending(operationId: string): Promise<boolean> {
    const job = await this.queue.queue.getJob(operationId);
    if (!job || !((await job.isWaiting()) || (await job.isDelayed()))) return false;
    // A worker may take it in the meantime: then removal fails and the running job is stopped instead.
    return job.remove().then(() => true, () => false);
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.close();
  }
}
