import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { z } from 'zod';
import { deadLetterSubject } from '@bosun/contracts';
import type { BosunLogger } from '@bosun/logging';
import { runWithLogContext } from '@bosun/logging';
import { decodeJson, msToNanos } from './codec';
import type { JetStreamPublisher } from './publisher';

export interface MessageMeta { subject: string; deliveryCount: number; streamSeq: number }

export interface DurableConsumerOptions<T> {
  stream: string;
  durable: string;
  filterSubjects: string[];
  schema: z.ZodType<T>;
  handler: (message: T, meta: MessageMeta) => Promise<void>;
  /** Attempts before a message is dead-lettered (JetStream max_deliver). */
  maxDeliver: number;
  /** Called once when a message is given up on: the place to fail its operation visibly. */
  onDeadLetter?: (raw: unknown, reason: string, meta: MessageMeta) => Promise<void>;
  ackWaitMs?: number;
  /** Delay before redelivery attempt N (default 200 ms doubling to 10 s); tests shorten it. */
  backoffMs?: (attempt: number) => number;
  /** `new`: only messages published after the consumer is created (default `all`). */
  deliverPolicy?: 'all' | 'new';
}

/**
 * One filter goes in `filter_subject`: nats.js then names it in the create subject
 * (`$JS.API.CONSUMER.CREATE.<stream>.<name>.<filter>`), which is what lets the server's
 * permissions hold a service to its own commands (ADR 0005). `undefined` clears the other
 * field when an existing consumer's config is merged on update.
 */
const filters = (subjects: string[]): { filter_subject?: string; filter_subjects?: string[] } =>
  subjects.length === 1 ? { filter_subject: subjects[0], filter_subjects: undefined } : { filter_subjects: subjects, filter_subject: undefined };

/** Redelivery back-off: quick first retries, then slower. */
const backoffMs = (attempt: number): number => Math.min(200 * 2 ** attempt, 10_000);

/**
 * A durable pull consumer with explicit ack. The consumer lives in the server, so
 * messages published while this process is down are delivered when it comes back.
 * Invalid messages and handlers that keep failing go to the dead-letter stream.
 */
export class DurableConsumer<T> {
  private messages?: ConsumerMessages;
  private stopped = false;
  private running = false;
  private loop?: Promise<void>;

  constructor(
    private readonly nc: NatsConnection,
    private readonly publisher: JetStreamPublisher,
    private readonly opts: DurableConsumerOptions<T>,
    private readonly logger: BosunLogger,
  ) {}

  async start(): Promise<void> {
    const jsm = await jetstreamManager(this.nc);
    const config = {
      durable_name: this.opts.durable, ack_policy: AckPolicy.Explicit, deliver_policy: this.opts.deliverPolicy === 'new' ? DeliverPolicy.New : DeliverPolicy.All,
      ...filters(this.opts.filterSubjects), max_deliver: this.opts.maxDeliver,
      ack_wait: msToNanos(this.opts.ackWaitMs ?? 30_000), max_ack_pending: 1000,
    };
    try {
      await jsm.consumers.update(this.opts.stream, this.opts.durable, config);
    } catch {
      await jsm.consumers.add(this.opts.stream, config);
    }
    this.loop = this.run();
  }

  health(): { ok: boolean; detail?: string } {
    return this.running ? { ok: true } : { ok: false, detail: `consumer ${this.opts.durable} not consuming` };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    // close() ends the iterator once the pending pull returns; do not hold shutdown hostage to it.
    await Promise.race([(async () => { await this.messages?.close(); await this.loop; })(), new Promise((r) => setTimeout(r, 2000).unref())]);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const consumer = await jetstream(this.nc).consumers.get(this.opts.stream, this.opts.durable);
        this.messages = await consumer.consume({ max_messages: 64 });
        this.running = true;
        for await (const m of this.messages) await this.dispatch(m);
      } catch (e) {
        if (!this.stopped) this.logger.warn({ err: e, durable: this.opts.durable }, 'consumer interrupted; resuming');
      }
      this.running = false;
      if (!this.stopped) await new Promise((r) => setTimeout(r, 500 + Math.random() * 500));
    }
  }

  private async dispatch(m: JsMsg): Promise<void> {
    // A pull already in flight when stop() ran can still hand us a message: give it back now.
    if (this.stopped) return void m.nak();
    const meta: MessageMeta = { subject: m.subject, deliveryCount: m.info.deliveryCount, streamSeq: m.seq };
    let raw: unknown;
    try {
      raw = decodeJson(m.data);
    } catch {
      return this.deadLetter(m, undefined, 'message is not JSON', meta);
    }
    const parsed = this.opts.schema.safeParse(raw);
    if (!parsed.success) return this.deadLetter(m, raw, `invalid message: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, meta);
    const ctx = typeof raw === 'object' && raw && 'operationId' in raw ? { operationId: String((raw as { operationId: unknown }).operationId) } : {};
    await runWithLogContext(ctx, async () => {
      try {
        await this.opts.handler(parsed.data, meta);
        m.ack();
      } catch (e) {
        if (meta.deliveryCount >= this.opts.maxDeliver) return this.deadLetter(m, raw, String((e as Error)?.message ?? e), meta);
        this.logger.warn({ err: e, subject: m.subject, attempt: meta.deliveryCount }, 'handler failed; will retry');
        m.nak((this.opts.backoffMs ?? backoffMs)(meta.deliveryCount));
      }
    });
  }

  private async deadLetter(m: JsMsg, raw: unknown, reason: string, meta: MessageMeta): Promise<void> {
    this.logger.error({ subject: m.subject, reason, attempts: meta.deliveryCount }, 'dead-lettering message');
    try {
      await this.publisher.event(deadLetterSubject(m.subject), { subject: m.subject, reason, attempts: meta.deliveryCount, message: raw ?? null, at: new Date().toISOString() });
      await this.opts.onDeadLetter?.(raw, reason, meta);
      m.term(reason);
    } catch (e) {
      // Could not record the dead letter: leave it for redelivery rather than lose it.
      this.logger.error({ err: e }, 'dead-letter path failed; message will be redelivered');
      m.nak(1000);
    }
  }
}

