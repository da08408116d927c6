import type { PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { Problem } from './problem';
import type { Answers } from './problem';

/** Path parameters validated by a `ZodParams` pipe or inside the handler (`@ApiRoute({params})`). */
export const ZOD_PARAMS_ANSWERS: Answers = { 422: 'Invalid path parameters, each named in errors[]' };

/**
 * The path parameters with a schema keyed by the route's own names (`:ns`, `:name`):
 * `@Param(new ZodParams(schema, { ns: 'namespace' })) ref: ClaimRef`. `rename` maps a path
 * name to the field it becomes (and that a 422 names, as the deployment routes do); the
 * OpenAPI builder reads the same schema for the document's path parameters.
 */
export class ZodParams<S extends z.ZodObject> implements PipeTransform<unknown, Record<string, unknown>> {
  constructor(readonly schema: S, private readonly rename: Record<string, string> = {}) {}

  transform(value: unknown): Record<string, unknown> {
    const r = this.schema.safeParse(value ?? {});
    if (!r.success) throw Problem.invalid(r.error.issues.map((i) => ({ path: this.field(String(i.path[0] ?? '(path)')), message: i.message })));
    return Object.fromEntries(Object.entries(r.data as Record<string, unknown>).map(([k, v]) => [this.field(k), v]));
  }

  private field(name: string): string {
    return this.rename[name] ?? name;
  }
}
