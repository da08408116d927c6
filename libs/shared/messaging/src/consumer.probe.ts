// A JetStream consumer's info, for a backlog (num_pending + num_ack_pending, as KEDA counts it).
import { jetstreamManager } from '@nats-io/jetstream';
import type { JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

export interface ConsumerBacklogInfo { num_pending: number; num_ack_pending: number }
export type ConsumerProbe = { ok: true; info: ConsumerBacklogInfo } | { ok: false; reason: string };

const managers = new WeakMap<NatsConnection, Promise<JetStreamManager>>();

/** The consumer's counts, or why it cannot be read (a missing stream or consumer is a reason, not a zero). */
export async function consumerBacklog(nc: NatsConnection, stream: string, consumer: string): Promise<ConsumerProbe> {
  let jsm = managers.get(nc);
  if (!jsm) managers.set(nc, (jsm = jetstreamManager(nc, { timeout: 3000 })));
  try {
    const info = await (await jsm).consumers.info(stream, consumer);
    return { ok: true, info: { num_pending: info.num_pending, num_ack_pending: info.num_ack_pending } };
  } catch (e) {
    managers.delete(nc);
    const text = (e as Error).message;
    if (/consumer not found/i.test(text)) return { ok: false, reason: `JetStream consumer "${consumer}" of stream "${stream}" not found` };
    if (/stream not found/i.test(text)) return { ok: false, reason: `JetStream stream "${stream}" not found` };
    return { ok: false, reason: `JetStream consumer "${consumer}" of stream "${stream}" could not be read: ${text}` };
  }
}
