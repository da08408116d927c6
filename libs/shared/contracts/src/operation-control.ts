import { z } from 'zod';
import { operationErrorSchema } from './operation';

/**
 * Who may still change an operation's fate, decided once per operation in a JetStream KV
 * bucket (key = operation id) with create-if-absent, so exactly one side wins:
 * - a service `claim`s the operation right before its first change to the cluster;
 * - the gateway `cancel`s it.
 * A cancel that finds no claim wins: the service will never make the change. A cancel that
 * finds a claim is too late for the change (it stays), and only stops what follows
 * (tracking, later steps). Replicas watch the bucket, so a cancel reaches whichever runs the job.
 */
export const OPERATION_CONTROL_BUCKET = 'bosun-operation-control';

export const operationControlEntrySchema = z.object({
  claimedBy: z.string().optional(),
  claimedAt: z.string().optional(),
  cancelledBy: z.string().optional(),
  cancelledAt: z.string().optional(),
  reason: z.string().optional(),
});
export type OperationControlEntry = z.infer<typeof operationControlEntrySchema>;

export type ClaimOutcome =
  /** this call claimed it: go ahead with the change */
  | { outcome: 'claimed' }
  /** claimed earlier (a retry or a resumed job of the same operation): go ahead, the mutation marker makes it once */
  | { outcome: 'reclaimed'; claimedBy: string }
  /** cancelled before any change: do nothing, report nothing (the gateway already shows `cancelled`) */
  | { outcome: 'cancelled'; cancelledBy: string };

export type CancelOutcome =
  | { outcome: 'won' }
  | { outcome: 'too-late'; claimedBy: string; claimedAt: string };

/** Every service answers this query for the gateway's reconciler: what became of an operation? */
export const OPERATION_STATUS_QUERY = 'operation-status';
export const operationStatusParamsSchema = z.object({ operationId: z.string().min(1) });
export const operationStatusSchema = z.object({
  operationId: z.string(),
  /**
   * `unknown`: this service has no record of it (never received, or its record expired);
   * `waiting`: accepted, not started; `active`: running now; `succeeded`/`failed`: ended, with what it reported.
   */
  state: z.enum(['unknown', 'waiting', 'active', 'succeeded', 'failed']),
  result: z.unknown().optional(),
  error: operationErrorSchema.optional(),
  at: z.string().optional(),
});
export type OperationStatusReport = z.infer<typeof operationStatusSchema>;
