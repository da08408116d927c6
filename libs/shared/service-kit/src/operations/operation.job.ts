import type { CommandEnvelope, OperationError } from '@bosun/contracts';
import type { Job } from '@bosun/messaging';

/** One operation as a BullMQ job; the job id is the operation id (a second add is a no-op). */
export interface OperationJobData {
  operationId: string;
  subject: string;
  envelope: CommandEnvelope;
  /** the command's stream sequence: its place in line on its object */
  sequence: number;
  acceptedAt: number;
}
export type OperationJob = Job<OperationJobData, OperationJobResult>;

/** What a finished job keeps, so the service can tell the gateway's reconciler how it ended. */
export type OperationJobResult = { outcome: 'succeeded'; result?: unknown } | { outcome: 'cancelled' };

/**
 * Thrown after the failure has been published, so the job ends without a second report.
 * Its message is the failure as JSON: BullMQ keeps it as the job's failedReason, which is
 * what the operation-status query reads back.
 */
export class ReportedFailure extends Error {
  constructor(readonly failure: OperationError) {
    super(JSON.stringify(failure));
    this.name = 'UnrecoverableError';
  }
}

export const failureOf = (failedReason: string | undefined): OperationError => {
  try {
    const f = JSON.parse(failedReason ?? '') as OperationError;
    if (typeof f.code === 'string' && typeof f.message === 'string') return f;
  } catch {
    // not one of ours: a crash or a stalled job
  }
  return { code: 'Internal', message: failedReason ?? 'the job failed' };
};
