import type { z } from 'zod';
import { Problem } from './problem';

/** Parses a request body with the contract's schema; a non-object body is a 400, bad fields a 422. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new Problem(400, 'Bad Request', 'the request body must be a JSON object (Content-Type: application/json)');
  }
  const r = schema.safeParse(body);
  if (!r.success) throw Problem.fromZod(r.error);
  return r.data;
}

export function parseQuery<T>(schema: z.ZodType<T>, query: unknown): T {
  const r = schema.safeParse(query);
  if (!r.success) throw Problem.invalid(r.error.issues.map((i) => ({ path: `query.${i.path.join('.')}`, message: i.message })));
  return r.data;
}
