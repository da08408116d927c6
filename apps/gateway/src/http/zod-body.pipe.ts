import type { PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { Problem } from './problem';
import type { Answers } from './problem';

export const ZOD_BODY_ANSWERS: Answers = { 400: 'The body is not a JSON object', 422: 'Invalid fields, each named in errors[]' };
export const ZOD_QUERY_ANSWERS: Answers = { 422: 'Invalid query parameters, each named in errors[] (query.<name>)' };

/**
 * Validates a request body with the contract's schema, so handlers take typed DTOs:
 * `@Body(new ZodBody(deployRequestSchema)) body: DeployRequest`. A non-object body is a 400,
 * bad fields a 422 naming each one. `optional`: no body at all reads as `{}`.
 */
export class ZodBody<T> implements PipeTransform<unknown, T> {
  constructor(private readonly schema: z.ZodType<T>, private readonly options: { optional?: boolean } = {}) {}

  transform(value: unknown): T {
    const body = value === undefined && this.options.optional ? {} : value;
    if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new Problem(400, 'Bad Request', 'the request body must be a JSON object (Content-Type: application/json)');
    }
    const r = this.schema.safeParse(body);
    if (!r.success) throw Problem.fromZod(r.error);
    return r.data;
  }
}

/** The query string with a schema: `@Query(new ZodQuery(listSchema)) q: ListQuery`; bad fields are 422 `query.<name>`. */
export class ZodQuery<T> implements PipeTransform<unknown, T> {
  constructor(private readonly schema: z.ZodType<T>) {}

  transform(value: unknown): T {
    const r = this.schema.safeParse(value ?? {});
    if (!r.success) throw Problem.invalid(r.error.issues.map((i) => ({ path: `query.${i.path.join('.')}`, message: i.message })));
    return r.data;
  }
}
