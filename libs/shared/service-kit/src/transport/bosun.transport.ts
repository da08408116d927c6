import { Server } from '@nestjs/microservices';
import type { CustomTransportStrategy, MessageHandler } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { z } from 'zod';
import { OPERATION_STATUS_QUERY, operationStatusParamsSchema, querySubject, queryEnvelopeSchema, toFieldErrors } from '@bosun/contracts';
import type { QueryReply, ServiceName } from '@bosun/contracts';
import type { BosunLogger } from '@bosun/logging';
import { decodeJson, encodeJson } from '@bosun/messaging';
import type { Msg, NatsConnection, Subscription } from '@bosun/messaging';
import { kubernetesIdentity } from '../identity/kubernetes.identity';
import type { OperationEngine } from '../operations/operation.engine';
import { classifyFailure, invalid, OperationFailure } from '../operations/operation.failure';
import type { RouteExtras } from './handler.decorators';
import { QueryContext } from './contexts';
import type { OperationContext } from './contexts';

const validateParamsSchema = z.object({ kind: z.string().min(1), action: z.string().min(1).optional(), payload: z.unknown() });

export interface BosunTransportOptions {
  service: ServiceName;
  nc: NatsConnection;
  engine: OperationEngine;
  logger: BosunLogger;
}

/**
 * Nest's transport for Bosun's bus: `@OperationHandler` methods become the work of
 * JetStream commands (durable consumer, explicit ack, dedupe, bounded redelivery, dead
 * letter, then a BullMQ job: see OperationEngine), `@QueryHandler` methods answer NATS
 * request/reply in the service's queue group, `@NotificationHandler` methods receive core
 * NATS notifications. Nest's pipes, guards, interceptors and exception filters apply to
 * each as they do to HTTP. Every service also answers the operation-status query here.
 */
export class BosunTransport extends Server implements CustomTransportStrategy {
  private readonly subscriptions: Subscription[] = [];

  constructor(private readonly opts: BosunTransportOptions) {
    super();
  }

  async listen(callback: () => void): Promise<void> {
    try {
      for (const [pattern, handler] of this.messageHandlers) this.route(pattern, handler);
      this.serveStatus();
      if (!this.messageHandlers.has(querySubject(this.opts.service, 'validate'))) this.serveValidate();
      await this.opts.engine.start();
      callback();
    } catch (err) {
      this.opts.logger.error({ err }, 'transport failed to start');
      throw err;
    }
  }

  async close(): Promise<void> {
    for (const s of this.subscriptions.splice(0)) s.unsubscribe();
  }

  on(): never {
    throw new Error('BosunTransport has no events to listen to');
  }

  unwrap<T>(): T {
    return this.opts.nc as T;
  }

  private route(pattern: string, handler: MessageHandler): void {
    const extras = (handler.extras as RouteExtras | undefined)?.bosun;
    if (extras?.kind === 'command') {
      const invoke = (payload: unknown, ctx: OperationContext): Promise<unknown> => this.call(handler, payload, ctx);
      return this.opts.engine.register({ subject: pattern, schema: extras.schema, rules: extras.rules, invoke });
    }
    if (extras?.kind === 'query') return this.serve(pattern, 'asker', (params, ctx) => this.call(handler, params, ctx));
    if (handler.isEventHandler) {
      this.subscriptions.push(this.opts.nc.subscribe(pattern, { callback: (err, msg) => { if (!err) void this.notify(handler, msg); } }));
      return;
    }
    throw new Error(`handler for "${pattern}" is neither an @OperationHandler, a @QueryHandler nor a @NotificationHandler`);
  }

  /** Runs a Nest handler (its pipes, guards, interceptors and filters) and resolves with its last value. */
  private async call(handler: MessageHandler, data: unknown, ctx: QueryContext | OperationContext): Promise<unknown> {
    return lastValueFrom(this.transformToObservable(await handler(data, ctx)), { defaultValue: undefined });
  }

  private async notify(handler: MessageHandler, msg: Msg): Promise<void> {
    try {
      await this.call(handler, decodeJson(msg.data), new QueryContext(msg.subject, 'default', undefined, undefined));
    } catch (err) {
      this.opts.logger.warn({ err, subject: msg.subject }, 'notification handler failed');
    }
  }

  private serveStatus(): void {
    const subject = querySubject(this.opts.service, OPERATION_STATUS_QUERY);
    this.serve(subject, 'housekeeping', async (params) => {
      const p = operationStatusParamsSchema.safeParse(params);
      if (!p.success) throw invalid(toFieldErrors(p.error), 'invalid params');
      return this.opts.engine.status(p.data.operationId);
    });
  }

  /** The generic `validate` (schema and rules of the command) for services without their own. */
  private serveValidate(): void {
    this.serve(querySubject(this.opts.service, 'validate'), 'housekeeping', async (params) => {
      const p = validateParamsSchema.safeParse(params);
      if (!p.success) throw invalid(toFieldErrors(p.error), 'invalid params');
      return this.opts.engine.validate(p.data.action ?? p.data.kind.split('.').slice(1).join('.'), p.data.kind, p.data.payload);
    });
  }

  /**
   * One query subject in the service's queue group, so replicas share the load. `asker`: the
   * answer reads the cluster as whoever asks, so a query that names no actor is refused —
   * never answered as Bosun's own service account. `housekeeping`: the kit's own questions
   * about Bosun itself (operation status, the command schema), which read no cluster.
   */
  private serve(subject: string, who: 'asker' | 'housekeeping', answer: (params: unknown, ctx: QueryContext) => Promise<unknown>): void {
    this.subscriptions.push(this.opts.nc.subscribe(subject, {
      queue: this.opts.service,
      callback: (err, msg) => {
        if (err) return this.opts.logger.error({ err, subject }, 'query subscription error');
        void this.reply(subject, msg, who, answer);
      },
    }));
  }

  private async reply(subject: string, msg: Msg, who: 'asker' | 'housekeeping', answer: (params: unknown, ctx: QueryContext) => Promise<unknown>): Promise<void> {
    let reply: QueryReply<unknown>;
    try {
      const env = queryEnvelopeSchema.safeParse(decodeJson(msg.data));
      if (!env.success) throw invalid(toFieldErrors(env.error), 'invalid query envelope');
      const { actor, cluster, params } = env.data;
      if (who === 'asker' && !actor) throw new OperationFailure('Unauthorized', `${subject} reads the cluster as the asker, and the query names no actor`);
      reply = { ok: true, value: await answer(params, new QueryContext(subject, cluster, actor, actor ? kubernetesIdentity(actor) : undefined)) };
    } catch (err) {
      const { failure, retryable } = classifyFailure(err);
      if (retryable) this.opts.logger.warn({ subject, code: failure.code, err: failure.message }, 'query failed');
      reply = { ok: false, error: failure };
    }
    msg.respond(encodeJson(reply));
  }
}
