import { jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { JetStreamManager, StreamConfig } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { STREAMS } from '@bosun/contracts';
import { msToNanos } from './codec';

const DAY = 24 * 3600 * 1000;

export interface StreamOptions {
  /** How long an unconsumed command is kept (the services' staleness rule uses the same age). */
  commandMaxAgeMs?: number;
}

/**
 * Declares Bosun's streams (idempotent; every process calls it at boot, so start-up order
 * does not matter). File storage so nothing is lost when NATS restarts. Commands are a work
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
