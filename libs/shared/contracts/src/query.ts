import { z } from 'zod';
import { actorSchema } from './common';
import type { Failure } from './common';

/** Every request/reply query carries who asks (reads impersonate too) and which cluster. */
export const queryEnvelopeSchema = z.object({
  actor: actorSchema.optional(),
  cluster: z.string().default('default'),
  params: z.unknown(),
});
export type QueryEnvelope<P = unknown> = Omit<z.infer<typeof queryEnvelopeSchema>, 'params'> & { params: P };

/** Replies are typed values, never thrown errors: `ok` or a Failure with a stable code. */
export type QueryReply<T> = { ok: true; value: T } | { ok: false; error: Failure };

export const pingReplySchema = z.object({
  service: z.string(),
  instance: z.string(),
  version: z.string(),
  uptimeSeconds: z.number(),
  health: z.record(z.string(), z.object({ ok: z.boolean(), detail: z.string().optional() })),
});
export type PingReply = z.infer<typeof pingReplySchema>;
