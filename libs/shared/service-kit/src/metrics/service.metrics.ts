import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
/** The part of a BullMQ queue the metrics read (bullmq itself is @bosun/messaging's to import). */
interface CountableQueue { name: string; getJobCounts(...types: string[]): Promise<Record<string, number>> }
import { HealthRegistry } from '../health.registry';

/**
 * A service's Prometheus metrics, served at its own `/metrics`: operations by kind and
 * outcome, their durations, the job queue's depth, every health component (informers,
 * consumers, workers) and Kubernetes request latency by verb and code.
 */
@Injectable()
export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly operations = new Counter({ name: 'bosun_operations_total', help: 'Operations ended, by kind and outcome', labelNames: ['kind', 'outcome'], registers: [this.registry] });
  private readonly durations = new Histogram({
    name: 'bosun_operation_duration_seconds', help: 'Time from job start to terminal state', labelNames: ['kind'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300], registers: [this.registry],
  });
  private readonly kubeRequests = new Histogram({
    name: 'bosun_kube_request_duration_seconds', help: 'Kubernetes API requests by verb and HTTP code', labelNames: ['verb', 'code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [this.registry],
  });
  private readonly queues: CountableQueue[] = [];

  constructor(health: HealthRegistry) {
    collectDefaultMetrics({ register: this.registry, prefix: 'bosun_process_' });
    const queues = this.queues;
    new Gauge({
      name: 'bosun_queue_jobs', help: 'Jobs in the service queue by state', labelNames: ['queue', 'state'], registers: [this.registry],
      async collect() {
        for (const q of queues) {
          const counts = await q.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed').catch(() => ({} as Record<string, number>));
          for (const [state, n] of Object.entries(counts)) this.set({ queue: q.name, state }, n);
        }
      },
    });
    new Gauge({
      name: 'bosun_component_up', help: 'Health of each component (1 ok, 0 not): connections, consumers, workers, informers', labelNames: ['component'],
      registers: [this.registry],
      async collect() {
        for (const [component, h] of Object.entries(await health.check())) this.set({ component }, h.ok ? 1 : 0);
      },
    });
  }

  watchQueue(queue: CountableQueue): void {
    this.queues.push(queue);
  }

  operationEnded(kind: string, outcome: string, seconds?: number): void {
    this.operations.inc({ kind, outcome });
    if (seconds !== undefined) this.durations.observe({ kind }, seconds);
  }

  kubeRequest(verb: string, code: number, seconds: number): void {
    this.kubeRequests.observe({ verb, code: String(code) }, seconds);
  }
}
