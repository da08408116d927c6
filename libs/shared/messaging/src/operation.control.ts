import { Kvm, KvWatchInclude } from '@nats-io/kv';
import type { KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { OPERATION_CONTROL_BUCKET, operationControlEntrySchema } from '@bosun/contracts';
import type { CancelOutcome, ClaimOutcome, OperationControlEntry } from '@bosun/contracts';
import type { BosunLogger } from '@bosun/logging';

const CAS_RETRIES = 10;

const isExists = (e: unknown): boolean => /wrong last sequence|exists/i.test(String((e as Error)?.message ?? e));

/**
 * The claim/cancel decision of every operation (see OPERATION_CONTROL_BUCKET): one KV
 * entry per operation, written with create-if-absent or compare-and-set, so a cancel and a
 * service's first change can never both win.
 */
export class OperationControl {
  private constructor(private readonly kv: KV, private readonly clock: () => Date) {}

  /** Binds to the bucket `ensureStreams` declared (services may not create it, ADR 0005). */
  static async open(nc: NatsConnection, clock: () => Date = () => new Date()): Promise<OperationControl> {
    return new OperationControl(await new Kvm(nc).open(OPERATION_CONTROL_BUCKET), clock);
  }

  async get(operationId: string): Promise<OperationControlEntry | undefined> {
    const e = await this.kv.get(operationId);
    if (!e || e.operation !== 'PUT') return undefined;
    return operationControlEntrySchema.parse(e.json());
  }

  /** A service calls this right before its first change to the cluster. */
  async claim(operationId: string, instance: string): Promise<ClaimOutcome> {
    const entry = { claimedBy: instance, claimedAt: this.now() };
    try {
      await this.kv.create(operationId, JSON.stringify(entry));
      return { outcome: 'claimed' };
    } catch (e) {
      if (!isExists(e)) throw e;
    }
    const current = await this.get(operationId);
    if (current?.claimedBy) return { outcome: 'reclaimed', claimedBy: current.claimedBy };
    if (current?.cancelledBy) return { outcome: 'cancelled', cancelledBy: current.cancelledBy };
    // The entry was deleted or expired in between: try once more from scratch.
    return this.claim(operationId, instance);
  }

  async isCancelled(operationId: string): Promise<boolean> {
    return Boolean((await this.get(operationId))?.cancelledBy);
  }

  /** The gateway calls this; `won` means the change will never be made. */
  async cancel(operationId: string, by: string, reason?: string): Promise<CancelOutcome> {
    const cancel = { cancelledBy: by, cancelledAt: this.now(), ...(reason ? { reason } : {}) };
    for (let attempt = 0; attempt < CAS_RETRIES; attempt++) {
      try {
        await this.kv.create(operationId, JSON.stringify(cancel));
        return { outcome: 'won' };
      } catch (e) {
        if (!isExists(e)) throw e;
      }
      const raw = await this.kv.get(operationId);
      if (!raw || raw.operation !== 'PUT') continue;
      const current = operationControlEntrySchema.parse(raw.json());
      if (!current.claimedBy) return { outcome: 'won' };
      if (current.cancelledBy) return { outcome: 'too-late', claimedBy: current.claimedBy, claimedAt: current.claimedAt ?? '' };
      try {
        // Recorded on the claimed entry too: the replica running the job sees it in its watch and stops.
        await this.kv.update(operationId, JSON.stringify({ ...current, ...cancel }), raw.revision);
        return { outcome: 'too-late', claimedBy: current.claimedBy, claimedAt: current.claimedAt ?? '' };
      } catch (e) {
        if (!/wrong last sequence/i.test(String((e as Error)?.message ?? e))) throw e;
      }
    }
    throw new Error(`could not record the cancellation of ${operationId}: too much contention`);
  }

  /**
   * Calls `onCancel` for every cancellation recorded from now on (any replica's job may be the
   * one to stop). The watch is re-opened when it ends, e.g. after NATS restarts.
   */
  watchCancellations(onCancel: (operationId: string) => void, logger: BosunLogger): { stop(): void } {
    let stopped = false;
    let current: { stop(): void } | undefined;
    const loop = async (): Promise<void> => {
      while (!stopped) {
        try {
          const it = await this.kv.watch({ include: KvWatchInclude.UpdatesOnly, ignoreDeletes: true });
          current = it;
          await forEachCancellation(it, onCancel);
        } catch (err) {
          if (!stopped) logger.warn({ err }, 'operation-control watch interrupted; re-opening');
        }
        if (!stopped) await new Promise((r) => setTimeout(r, 500).unref());
      }
    };
    void loop();
    return { stop: () => { stopped = true; current?.stop(); } };
  }

  private now(): string {
    return this.clock().toISOString();
  }
}

async function forEachCancellation(entries: AsyncIterable<{ key: string; json<T>(): T }>, onCancel: (operationId: string) => void): Promise<void> {
  for await (const e of entries) {
    const entry = operationControlEntrySchema.safeParse(e.json());
    if (entry.success && entry.data.cancelledBy) onCancel(e.key);
  }
}
