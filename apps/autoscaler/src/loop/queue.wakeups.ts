import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { BosunLogger } from '@bosun/logging';
import { LOGGER } from '@bosun/service-kit';
import { AutoscalerStore } from '../autoscalers/autoscaler.store';
import { QueueWatch, watchStream } from '@bosun/messaging';
import { ConnectionsPool } from './connections.pool';
import { TickScheduler } from './tick.scheduler';

type QueueRef = { kind: 'bullmq'; name: string; redisUrl?: string } | { kind: 'jetstream'; stream: string; consumer: string; natsUrl?: string };
interface WantedQueue { queue: QueueRef; autoscalers: Set<string> }

/** How often the set of watched queues follows the stored autoscalers (creates and deletes on other replicas). */
const REFRESH_MS = 5000;

type Watch = { close(): Promise<void> };

/**
 * The queue's own events for every queue a managed autoscaler watches (BullMQ QueueEvents; for
 * JetStream, the stream's subjects on core NATS): work added to a queue whose
 * autoscaler holds its target at zero wakes an evaluation at once, so a backlog from zero
 * scales within about a second instead of one interval. (Above zero the interval is soon
 * enough, and a busy queue must not turn into an evaluation per job.)
 */
@Injectable()
export class QueueWakeups implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly watches = new Map<string, { watch: Watch; autoscalers: Set<string> }>();
  private timer?: NodeJS.Timeout;
  private readonly lastWake = new Map<string, number>();
  private stopped = false;

  constructor(private readonly store: AutoscalerStore, private readonly pool: ConnectionsPool, private readonly scheduler: TickScheduler, @Inject(LOGGER) private readonly logger: BosunLogger) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh().catch((e: Error) => this.logger.warn({ err: e.message }, 'queue watches not refreshed'));
    this.timer = setInterval(() => void this.refresh().catch((e: Error) => this.logger.warn({ err: e.message }, 'queue watches not refreshed')), REFRESH_MS);
    this.timer.unref();
  }

  /** Before the kit's Redis connection closes. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await Promise.all([...this.watches.values()].map((w) => w.watch.close().catch(() => undefined)));
    this.watches.clear();
  }

  /** Follows the stored definitions: a watch per (Redis, queue) with the autoscalers that read it. */
  async refresh(): Promise<void> {
    if (this.stopped) return;
    const wanted = await this.wanted();
    for (const [key, w] of this.watches) {
      if (wanted.has(key)) continue;
      this.watches.delete(key);
      await w.watch.close().catch(() => undefined);
    }
    for (const [key, want] of wanted) {
      const known = this.watches.get(key);
      if (known) known.autoscalers = want.autoscalers;
      else {
        const watch = await this.open(want, () => this.onWork(key));
        if (watch) this.watches.set(key, { autoscalers: want.autoscalers, watch });
      }
    }
  }

  /** Every (server, queue) a managed autoscaler reads, with the autoscalers that read it. */
  private async wanted(): Promise<Map<string, WantedQueue>> {
    const wanted = new Map<string, WantedQueue>();
    for (const def of await this.store.list()) {
      if (def.request.mode !== 'managed') continue;
      for (const m of def.request.metrics) {
        const q = m.queue;
        if (!q) continue;
        const key = q.kind === 'bullmq' ? `bullmq|${q.redisUrl ?? ''}|${q.name}` : `jetstream|${q.natsUrl ?? ''}|${q.stream}`;
        const entry = wanted.get(key) ?? { queue: q, autoscalers: new Set<string>() };
        entry.autoscalers.add(def.id);
        wanted.set(key, entry);
      }
    }
    return wanted;
  }

  /** A missing stream is not watched now; the next refresh tries again (the metric itself reports it). */
  private async open(want: WantedQueue, onWork: () => void): Promise<Watch | undefined> {
    const q = want.queue;
    if (q.kind === 'bullmq') return new QueueWatch(this.pool.redisFor(q.redisUrl), q.name, onWork, this.logger);
    const watched = await watchStream(await this.pool.natsFor(q.natsUrl), q.stream, onWork);
    if (!watched.ok) return undefined;
    return { close: async () => watched.stop() };
  }

  private onWork(key: string): void {
    for (const id of this.watches.get(key)?.autoscalers ?? []) {
      if (Date.now() - (this.lastWake.get(id) ?? 0) < 1000) continue;
      this.lastWake.set(id, Date.now());
      void this.wakeIfAtZero(id);
    }
  }

  private async wakeIfAtZero(id: string): Promise<void> {
    try {
      const state = await this.store.state(id);
      if (!state || state.currentReplicas === 0) await this.scheduler.wake(id);
    } catch (e) {
      this.logger.warn({ autoscaler: id, err: (e as Error).message }, 'early evaluation not queued');
    }
  }
}
