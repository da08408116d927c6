import { Injectable } from '@nestjs/common';
import type { ManagedMetric } from '@bosun/contracts';
import { bullmqBacklog, jetstreamBacklog } from '@bosun/autoscaler-domain';
import type { Observation } from '@bosun/autoscaler-domain';
import { bullmqCounts } from '@bosun/messaging';
import { consumerBacklog } from '@bosun/messaging';
import { ConnectionsPool } from './connections.pool';

/**
 * A Queue metric's backlog, counted as KEDA counts it: BullMQ waiting + prioritized + active
 * (BullMQ's getJobCounts), JetStream num_pending + num_ack_pending (the consumer's info).
 * A queue or consumer that is not there is a failed metric with the reason, never a 0.
 */
@Injectable()
export class QueueMetrics {
  constructor(private readonly pool: ConnectionsPool) {}

  async observe(queue: NonNullable<ManagedMetric['queue']>): Promise<Observation> {
    try {
      return queue.kind === 'bullmq' ? await this.bullmq(queue.name, queue.redisUrl) : await this.jetstream(queue.stream, queue.consumer, queue.natsUrl);
    } catch (e) {
      return { error: `queue could not be read: ${(e as Error).message}` };
    }
  }

  private async bullmq(name: string, redisUrl: string | undefined): Promise<Observation> {
    const counts = await bullmqCounts(this.pool.redisFor(redisUrl), name);
    if (!counts.exists) return { error: `BullMQ queue "${name}" not found${redisUrl ? ` at ${redisUrl}` : ''} (no bull:${name}:meta or bull:${name}:id key and no jobs)` };
    return { value: bullmqBacklog(counts) };
  }

  private async jetstream(stream: string, consumer: string, natsUrl: string | undefined): Promise<Observation> {
    const probe = await consumerBacklog(await this.pool.natsFor(natsUrl), stream, consumer);
    return probe.ok ? { value: jetstreamBacklog(probe.info) } : { error: probe.reason };
  }
}
