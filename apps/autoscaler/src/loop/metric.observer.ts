import { Injectable } from '@nestjs/common';
import type { ManagedMetric } from '@bosun/contracts';
import { podSamples, toMetricInput } from '@bosun/autoscaler-domain';
import type { MetricInput, Observation } from '@bosun/autoscaler-domain';
import type { KubePort } from '@bosun/kube';
import { ExternalMetrics } from './external.metrics';
import { PodMetricsReader } from './pod.metrics';
import { QueueMetrics } from './queue.metrics';
import type { Workload } from './workload.reader';

/** Every metric of one autoscaler observed (in parallel) and turned into the algorithm's input. */
@Injectable()
export class MetricObserver {
  constructor(private readonly podMetrics: PodMetricsReader, private readonly queues: QueueMetrics, private readonly external: ExternalMetrics) {}

  async observe(cluster: string, kube: KubePort, namespace: string, workload: Workload, metrics: ManagedMetric[]): Promise<MetricInput[]> {
    return Promise.all(metrics.map(async (m) => toMetricInput(m, await this.one(cluster, kube, namespace, workload, m))));
  }

  private async one(cluster: string, kube: KubePort, namespace: string, workload: Workload, metric: ManagedMetric): Promise<Observation> {
    if (metric.type === 'Queue' && metric.queue) return this.queues.observe(metric.queue);
    if (metric.type === 'External' && metric.url) return this.external.observe(metric.url);
    const reading = await this.podMetrics.read(cluster, kube, namespace);
    if (!reading.ok) return { error: reading.error };
    return { pods: podSamples(workload.pods, reading.byPod, metric.resource ?? 'cpu') };
  }
}
