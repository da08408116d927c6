import { z } from 'zod';
import { actorSchema, targetSchema } from './common';

export const OPERATION_STATUSES = [
  'queued', 'awaiting_approval', 'running', 'succeeded', 'failed', 'rejected', 'cancelled',
] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];
export const TERMINAL_STATUSES: readonly OperationStatus[] = ['succeeded', 'failed', 'rejected', 'cancelled'];
export const isTerminal = (s: OperationStatus): boolean => TERMINAL_STATUSES.includes(s);

export const progressSchema = z.object({
  current: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  message: z.string(),
});
export type Progress = z.infer<typeof progressSchema>;

export const operationErrorSchema = z.object({ code: z.string(), message: z.string() });
export type OperationError = z.infer<typeof operationErrorSchema>;

/** The operation resource exactly as API.md spells it. */
export const operationSchema = z.object({
  id: z.string(),
  kind: z.string(),
  status: z.enum(OPERATION_STATUSES),
  actor: actorSchema,
  target: targetSchema,
  progress: progressSchema.optional(),
  result: z.unknown().optional(),
  error: operationErrorSchema.optional(),
  approvals: z.array(z.object({ subject: z.string(), at: z.string(), decision: z.enum(['approve', 'reject']) })).optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Operation = z.infer<typeof operationSchema>;

/** Lifecycle events a service publishes while it works on an operation. */
const base = { operationId: z.string(), at: z.string() };
export const operationStartedSchema = z.object({ ...base, message: z.string().optional() });
export const operationProgressedSchema = z.object({ ...base, progress: progressSchema });
export const operationSucceededSchema = z.object({ ...base, result: z.unknown().optional() });
export const operationFailedSchema = z.object({ ...base, error: operationErrorSchema, result: z.unknown().optional() });
export type OperationStarted = z.infer<typeof operationStartedSchema>;
export type OperationProgressed = z.infer<typeof operationProgressedSchema>;
export type OperationSucceeded = z.infer<typeof operationSucceededSchema>;
export type OperationFailed = z.infer<typeof operationFailedSchema>;

export const newOperationId = (random: () => string): string => `op_${random()}`;
