import { jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { STREAMS } from '@bosun/contracts';
import { msToNanos } from './codec';

const DAY = 24 * 3600 * 1000;

/**
 * Declares Bosun's streams (idempotent; every process calls it at boot, so start-up
 * order does not matter). File storage so nothing is lost when NATS restarts.
 */
export async function ensureStreams(nc: NatsConnection): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const specs = [
    { ...STREAMS.commands, max_age: msToNanos(7 * DAY) },
    { ...STREAMS.events, max_age: msToNanos(7 * DAY) },
    { ...STREAMS.deadLetters, max_age: msToNanos(30 * DAY) },
  ];
  for (const s of specs) {
    const config = {
      name: s.name, subjects: [...s.subjects], retention: RetentionPolicy.Limits, storage: StorageType.File,
      max_age: s.max_age, duplicate_window: msToNanos(10 * 60 * 1000),
    };
    try {
      await jsm.streams.info(s.name);
      await jsm.streams.update(s.name, config);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      await jsm.streams.add(config);
    }
  }
}

const isNotFound = (e: unknown): boolean => /not found/i.test(String((e as Error)?.message ?? e));
