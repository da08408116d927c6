import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { jobQueue } from '@bosun/contracts';
import type { BosunLogger } from '@bosun/logging';
import type { Redis } from '@bosun/messaging';
import { HealthRegistry, LOGGER, REDIS } from '@bosun/service-kit';
import { TickQueue, TickWorker } from '@bosun/messaging';
import type { TickJob } from '@bosun/messaging';
import { AutoscalerStore } from '../autoscalers/autoscaler.store';
import { EvaluationTick } from './evaluation.tick';

/** Evaluations running at once on one replica (each waits mostly on I/O). */
const CONCURRENCY = 16;
export const TICK_QUEUE = jobQueue('autoscaler', 'ticks');

/**
 * The managed loop's clock: one BullMQ job scheduler per autoscaler on its interval (kept in
 * Redis, so a restart neither loses it nor a second replica doubles it), a worker on every
 * replica, and early wake-ups added with a job id per second (replicas seeing the same queue
 * event add it once).
 */
@Injectable()
export class TickScheduler implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private queue?: TickQueue;
  private worker?: TickWorker;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly logger: BosunLogger,
    private readonly tick: EvaluationTick,
    private readonly health: HealthRegistry,
    private readonly store: AutoscalerStore,
  ) {}

  onModuleInit(): void {
    this.queue = new TickQueue(TICK_QUEUE, this.redis, this.logger);
    this.worker = new TickWorker(TICK_QUEUE, this.redis, CONCURRENCY, (job) => this.process(job), this.logger);
    this.worker.start();
    this.health.register('tick-worker', () => (this.worker?.running() ? { ok: true } : { ok: false, detail: 'the evaluation worker is not running' }));
  }

  /**
   * Definitions and schedulers agree after a boot: a managed autoscaler without a scheduler (Redis
   * lost it, or a create died half-way) gets one; existing ones are left alone, so their next
   * slot is kept.
   */
  async onApplicationBootstrap(): Promise<void> {
    try {
      const scheduled = new Set(await this.queue?.scheduled());
      for (const def of await this.store.list()) {
        if (def.request.mode === 'managed' && !scheduled.has(def.id)) await this.schedule(def.id, def.request.intervalSeconds);
      }
    } catch (e) {
      this.logger.warn({ err: (e as Error).message }, 'schedulers not reconciled');
    }
  }

  async schedule(autoscalerId: string, intervalSeconds: number): Promise<void> {
    await this.queue?.schedule(autoscalerId, intervalSeconds * 1000);
  }

  async unschedule(autoscalerId: string): Promise<void> {
    await this.queue?.unschedule(autoscalerId);
  }

  /** An evaluation now, besides the scheduled ones (at most one per autoscaler per second). */
  async wake(autoscalerId: string): Promise<void> {
    await this.queue?.wake(autoscalerId, `wake-${autoscalerId}-${Math.floor(Date.now() / 1000)}`);
  }

  /** Before the kit's connections close (they go in onApplicationShutdown): the worker finishes the evaluations it holds. */
  async onModuleDestroy(): Promise<void> {
    await this.worker?.close().catch((e: Error) => this.logger.warn({ err: e.message }, 'tick worker did not close cleanly'));
    await this.queue?.close().catch(() => undefined);
  }

  private async process(job: TickJob): Promise<void> {
    const outcome = await this.tick.run(job.data.autoscalerId, job.name === 'tick' ? job.slot : undefined);
    // A scheduler whose autoscaler is gone (deleted while a replica was away) removes itself.
    if (outcome === 'gone' && job.name === 'tick') await this.unschedule(job.data.autoscalerId);
    if (outcome === 'busy' || outcome === 'duplicate') this.logger.debug({ autoscaler: job.data.autoscalerId, slot: job.slot, outcome }, 'tick skipped');
  }
}
