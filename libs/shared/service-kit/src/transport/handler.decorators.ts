import { applyDecorators, UsePipes } from '@nestjs/common';
import { EventPattern, MessagePattern } from '@nestjs/microservices';
import type { z } from 'zod';
import type { FieldError } from '@bosun/contracts';
import { ZodPayloadPipe } from './zod-payload.pipe';

/** What the transport reads from a handler's pattern extras. */
export interface RouteExtras {
  bosun: { kind: 'command' | 'query' | 'event'; schema?: z.ZodType; rules?: (value: never) => FieldError[] };
}

export interface OperationHandlerOptions<T> {
  /** the payload schema the sender used (from @bosun/contracts) */
  schema: z.ZodType<T>;
  /** domain rules the schema cannot express; refusals fail the operation at acceptance */
  rules?: (payload: T) => FieldError[];
}

/**
 * Marks a method as the work of one operation kind: `@OperationHandler(commandSubject('deployer', 'deploy'), {schema})`.
 * The kit consumes the command durably, validates it at once (an invalid one fails its
 * operation without a job), queues it as a BullMQ job keyed by operation id, serialises it
 * behind earlier operations on the same object, claims it against cancellation, and calls
 * this method with the typed payload and an `OperationContext`. What it returns is the
 * operation's result; what it throws is classified (retry or fail; see classifyFailure).
 */
export const OperationHandler = <T>(subject: string, opts: OperationHandlerOptions<T>): MethodDecorator =>
  applyDecorators(
    MessagePattern(subject, { bosun: { kind: 'command', schema: opts.schema, rules: opts.rules } } satisfies RouteExtras),
    UsePipes(new ZodPayloadPipe(opts.schema, opts.rules)),
  );

/**
 * Marks a method as the answer to a request/reply query: `@QueryHandler(querySubject('deployer', 'get'), schema)`.
 * Served in the service's queue group; the reply is `{ok: true, value}` with what it returns,
 * or `{ok: false, error}` with the typed failure it throws.
 */
export const QueryHandler = <T>(subject: string, schema: z.ZodType<T>, rules?: (params: T) => FieldError[]): MethodDecorator =>
  applyDecorators(
    MessagePattern(subject, { bosun: { kind: 'query' } } satisfies RouteExtras),
    UsePipes(new ZodPayloadPipe(schema, rules)),
  );

/** A core-NATS notification every replica receives (not persisted; not for work that must not be lost). */
export const NotificationHandler = (subject: string): MethodDecorator =>
  applyDecorators(EventPattern(subject, { bosun: { kind: 'event' } } satisfies RouteExtras) as MethodDecorator);
