import { Module } from '@nestjs/common';
import { AutoscalerStore } from '../autoscalers/autoscaler.store';
import { ConnectionsPool } from './connections.pool';
import { EvaluationTick } from './evaluation.tick';
import { ExternalMetrics } from './external.metrics';
import { MetricObserver } from './metric.observer';
import { PodMetricsReader } from './pod.metrics';
import { QueueMetrics } from './queue.metrics';
import { QueueWakeups } from './queue.wakeups';
import { TickScheduler } from './tick.scheduler';
import { WorkloadReader } from './workload.reader';

/**
 * The managed loop: scheduled and early evaluations, metric observation (metrics.k8s.io,
 * BullMQ, JetStream, HTTP) and the store they share with the autoscaler queries.
 */
@Module({
  providers: [AutoscalerStore, ConnectionsPool, EvaluationTick, ExternalMetrics, MetricObserver, PodMetricsReader, QueueMetrics, QueueWakeups, TickScheduler, WorkloadReader],
  exports: [AutoscalerStore, TickScheduler, WorkloadReader, QueueWakeups],
})
export class LoopModule {}
