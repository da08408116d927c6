import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { BaseRpcContext } from '@nestjs/microservices';
import type { z } from 'zod';
import { toFieldErrors } from '@bosun/contracts';
import type { FieldError } from '@bosun/contracts';
import { invalid } from '../operations/operation.failure';

/**
 * Validates a message payload with the sender's schema, then the domain's own rules; the
 * handler receives the typed value. A refusal is an `Invalid` failure naming each field
 * (the operation fails at once, the query answers with it) — never a retry.
 */
export class ZodPayloadPipe<T> implements PipeTransform {
  constructor(private readonly schema: z.ZodType<T>, private readonly rules?: (value: T) => FieldError[]) {}

  transform(value: unknown, _metadata: ArgumentMetadata): unknown {
    // Method-level pipes see every argument; the context is not a payload.
    if (value instanceof BaseRpcContext) return value;
    const parsed = this.schema.safeParse(value);
    if (!parsed.success) throw invalid(toFieldErrors(parsed.error), 'invalid payload');
    const errors = this.rules?.(parsed.data) ?? [];
    if (errors.length) throw invalid(errors, 'invalid payload');
    return parsed.data;
  }
}
