import { jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { JetStreamManager, StreamConfig } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { OPERATION_CONTROL_BUCKET, STREAMS } from '@bosun/contracts';
import type { BosunLogger } from '@bosun/logging';
import { msToNanos } from './codec';

const DAY = 24 * 3600 * 1000;

export interface StreamOptions {
  /** How long an unconsumed command is kept (the services' staleness rule uses the same age). */
  commandMaxAgeMs?: number;
}

/**
 * Declares Bosun's streams (idempotent; the gateway calls it at boot — the only principal
 * allowed to, ADR 0005 — and services wait for them with `awaitStreams`). File storage so nothing is lost when NATS restarts. Commands are a work
 * queue: a message is gone once its service acked it, so a re-created consumer never replays
 * old commands; each service's consumer filters only its own subjects (the work-queue rule).
 */
export async function ensureStreams(nc: NatsConnection, opts: StreamOptions = {}): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const base = { storage: StorageType.File, duplicate_window: msToNanos(10 * 60 * 1000) };
  const specs: StreamSpec[] = [
    { ...base, name: STREAMS.commands.name, subjects: [...STREAMS.commands.subjects], retention: RetentionPolicy.Workqueue, max_age: msToNanos(opts.commandMaxAgeMs ?? DAY) },
    { ...base, name: STREAMS.events.name, subjects: [...STREAMS.events.subjects], retention: RetentionPolicy.Limits, max_age: msToNanos(7 * DAY) },
    { ...base, name: STREAMS.deadLetters.name, subjects: [...STREAMS.deadLetters.subjects], retention: RetentionPolicy.Limits, max_age: msToNanos(30 * DAY) },
  ];
  for (const config of specs) await ensureStream(jsm, config);
  // The cancel/claim decisions (OperationControl). File storage: a decision must survive a
  // NATS restart; entries expire after a week.
  await new Kvm(nc).create(OPERATION_CONTROL_BUCKET, { history: 1, ttl: 7 * DAY, storage: StorageType.File });
}

/**
 * What a service does instead of declaring (ADR 0005: only the gateway may create or change
 * Bosun's streams and the operation-control bucket): wait until they exist. A service that
 * boots before the gateway waits here, saying so every few seconds, instead of failing.
 */
export async function awaitStreams(nc: NatsConnection, logger: BosunLogger, opts: { pollMs?: number; signal?: AbortSignal } = {}): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const names = [STREAMS.commands.name, STREAMS.events.name, STREAMS.deadLetters.name, `KV_${OPERATION_CONTROL_BUCKET}`];
  const started = Date.now();
  let lastSaid = 0;
  for (;;) {
    const missing: string[] = [];
    for (const name of names) {
      const found = await jsm.streams.info(name).then(() => true, (e: unknown) => {
        if (isNotFound(e)) return false;
        throw e;
      });
      if (!found) missing.push(name);
    }
    if (!missing.length) return;
    if (opts.signal?.aborted) throw new Error(`gave up waiting for JetStream streams ${missing.join(', ')}`);
    if (Date.now() - lastSaid > 5000) {
      lastSaid = Date.now();
      logger.warn({ missing, waitedMs: lastSaid - started }, 'waiting for the gateway to declare the JetStream streams');
    }
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 500));
  }
}

type StreamSpec = Partial<StreamConfig> & { name: string };

async function ensureStream(jsm: JetStreamManager, config: StreamSpec): Promise<void> {
  const { name } = config;
  const info = await jsm.streams.info(name).catch((e: unknown) => {
    if (isNotFound(e)) return undefined;
    throw e;
  });
  if (!info) return void (await jsm.streams.add(config));
  if (info.config.retention === config.retention) return void (await jsm.streams.update(name, config));
  // Retention cannot be changed in place. An older Bosun made BOSUN_CMD with Limits
  // retention: re-create it, but only when no consumer still has work in it.
  const consumers = await jsm.consumers.list(name).next();
  const busy = consumers.filter((c) => c.num_pending > 0 || c.num_ack_pending > 0).map((c) => c.name);
  if (busy.length) {
    throw new Error(`stream ${name} must change retention to ${config.retention}, but consumers ${busy.join(', ')} still have unprocessed messages; let them drain, then restart`);
  }
  await jsm.streams.delete(name);
  await jsm.streams.add(config);
}

const isNotFound = (e: unknown): boolean => /not found/i.test(String((e as Error)?.message ?? e));
