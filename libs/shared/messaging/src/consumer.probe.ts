// A JetStream consumer's info, for a backlog (num_pending + num_ack_pending, as KEDA counts it).
import { jetstreamManager } from '@nats-io/jetstream';
import type { JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

export interface ConsumerBacklogInfo {
  num_pending: number;
  num_ack_pending: number;
  /** the stream sequence up to which every message of this consumer is acknowledged (or terminated) */
  ack_floor_stream_seq: number;
}
export type ConsumerProbe = { ok: true; info: ConsumerBacklogInfo } | { ok: false; reason: string };

const managers = new WeakMap<NatsConnection, Promise<JetStreamManager>>();

/** The consumer's counts, or why it cannot be read (a missing stream or consumer is a reason, not a zero). */
export async function consumerBacklog(nc: NatsConnection, stream: string, consumer: string): Promise<ConsumerProbe> {
  let jsm = managers.get(nc);
  if (!jsm) managers.set(nc, (jsm = jetstreamManager(nc, { timeout: 3000 })));
  try {
    const info = await (await jsm).consumers.info(stream, consumer);
    return { ok: true, info: { num_pending: info.num_pending, num_ack_pending: info.num_ack_pending, ack_floor_stream_seq: info.ack_floor.stream_seq } };
  } catch (e) {
    managers.delete(nc);
    const text = (e as Error).message;
    if (/consumer not found/i.test(text)) return { ok: false, reason: `JetStream consumer "${consumer}" of stream "${stream}" not found` };
    if (/stream not found/i.test(text)) return { ok: false, reason: `JetStream stream "${stream}" not found` };
    return { ok: false, reason: `JetStream consumer "${consumer}" of stream "${stream}" could not be read: ${text}` };
  }
}

/**
 * Calls `onWork` whenever a message is published to a JetStream stream's subjects: core NATS
 * sees every JetStream publish, so this needs no consumer of its own (a work-queue stream
 * would refuse a second one). Resolves once subscribed; a missing stream is a reason.
 */
export async function watchStream(nc: NatsConnection, stream: string, onWork: () => void): Promise<{ ok: true; stop(): void } | { ok: false; reason: string }> {
  try {
    const info = await (await jetstreamManager(nc, { timeout: 3000 })).streams.info(stream);
    const subs = (info.config.subjects ?? []).map((subject) => nc.subscribe(subject, { callback: (err) => { if (!err) onWork(); } }));
    return { ok: true, stop: () => subs.forEach((s) => s.unsubscribe()) };
  } catch (e) {
    return { ok: false, reason: `JetStream stream "${stream}" cannot be watched: ${(e as Error).message}` };
  }
}
