import type { z } from 'zod';
import type { FieldError } from '@bosun/contracts';
import type { OperationContext } from '../transport/contexts';

/** How the transport hands the engine one operation kind: its validation and its Nest handler. */
export interface CommandRoute {
  subject: string;
  schema?: z.ZodType;
  rules?: (value: never) => FieldError[];
  /** Runs the Nest handler (pipes, guards, interceptors, filters) and resolves with its result. */
  invoke(payload: unknown, ctx: OperationContext): Promise<unknown>;
}
