import { z } from 'zod';
import { GUARD_ANSWERS } from '../auth/auth.guard';
import { RATE_LIMIT_ANSWERS } from '../auth/rate.limiter';
import { BODY_PARSER_ANSWERS, STATE_STORE_ANSWERS } from '../http/problem';
import type { Answers } from '../http/problem';
import { ZOD_BODY_ANSWERS, ZOD_QUERY_ANSWERS } from '../http/zod-body.pipe';
import { ZOD_PARAMS_ANSWERS } from '../http/zod-params.pipe';
import { ASK_ANSWERS, SUBMIT_ANSWERS } from '../operations/operation-intake';
import type { DiscoveredRoute } from './openapi.routes';

/** A route that relays to a service, or submits an operation: it reads `?cluster=` through the intake. */
export const relays = (r: DiscoveredRoute): boolean => Boolean(r.api?.service || r.api?.operation);

/** What the route's own pipes and the intake add to what every route of its role answers. */
function routeAnswers(r: DiscoveredRoute): Answers[] {
  const asks = Boolean(r.api?.service && (!r.api.operation || r.api.asks));
  return [
    r.body ? ZOD_BODY_ANSWERS : {},
    r.query.length ? ZOD_QUERY_ANSWERS : {},
    Object.keys(r.params).length ? ZOD_PARAMS_ANSWERS : {},
    asks ? ASK_ANSWERS : {},
    r.api?.operation ? SUBMIT_ANSWERS : {},
  ];
}

/**
 * Every answer a route can give besides its success, from the piece of the pipeline that
 * gives it, in pipeline order (a later, more specific description wins): the body parser
 * (every route), the guard and the rate limit (every route that is not public), the route's
 * pipes, the operation intake (`ask` / `submit`), then the route's own `@ApiRoute({responses})`.
 * A 500 is never documented: it is always a bug, which the fuzzer must report.
 */
export function failureAnswers(r: DiscoveredRoute): Record<number, string> {
  const own = Object.entries(r.api?.responses ?? {}).filter(([status]) => Number(status) >= 400);
  const out: Record<number, string> = Object.assign(
    {}, BODY_PARSER_ANSWERS, ...(r.role === 'public' ? [] : [GUARD_ANSWERS, RATE_LIMIT_ANSWERS, STATE_STORE_ANSWERS]),
    ...routeAnswers(r), Object.fromEntries(own),
  );
  if (rulesBeyondSchema(r) && out[422]) out[422] += '; also rules across fields that JSON Schema cannot state (x-bosun-rules-beyond-schema)';
  return out;
}

interface ZodNode { _zod: { def: { type: string; checks?: { _zod: { def: { check: string } } }[] } } }

/** Whether a zod schema has rules its JSON Schema cannot carry (`refine`, `superRefine`, `z.custom`). */
export function hasRulesBeyondJsonSchema(schema: z.ZodType): boolean {
  let found = false;
  // toJSONSchema walks every node (objects, unions, arrays, records, pipes) and hands each to override.
  z.toJSONSchema(schema, {
    io: 'input', unrepresentable: 'any',
    override: ({ zodSchema }) => {
      const def = (zodSchema as unknown as ZodNode)._zod.def;
      if (def.type === 'custom' || def.checks?.some((c) => c._zod.def.check === 'custom')) found = true;
    },
  });
  return found;
}

/** The route's inputs (body, query, path) have rules beyond their documented JSON Schema. */
export function rulesBeyondSchema(r: DiscoveredRoute): boolean {
  return [r.body?.schema, ...r.query, ...Object.values(r.params)].some((s) => s !== undefined && hasRulesBeyondJsonSchema(s));
}
