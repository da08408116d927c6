import { z } from 'zod';
import { actorSchema, targetSchema } from './common';

/**
 * Every command travels in this envelope. `operationId` doubles as the JetStream
 * `Nats-Msg-Id`, so a redelivered or re-published command is de-duplicated.
 */
export const commandEnvelopeSchema = z.object({
  operationId: z.string().min(1),
  kind: z.string().min(1),
  actor: actorSchema,
  target: targetSchema,
  payload: z.unknown(),
  issuedAt: z.string(),
  correlationId: z.string().optional(),
});
export type CommandEnvelope<P = unknown> = Omit<z.infer<typeof commandEnvelopeSchema>, 'payload'> & { payload: P };

/** Asks the service that owns an operation to stop working on it. */
export const cancelPayloadSchema = z.object({ reason: z.string().optional() });
