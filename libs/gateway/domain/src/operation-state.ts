import type { Operation, OperationError, OperationStatus, Progress } from '@bosun/contracts';
import { isTerminal } from '@bosun/contracts';

export type OperationChange =
  | { type: 'started'; at: string; message?: string }
  | { type: 'progressed'; at: string; progress: Progress }
  | { type: 'succeeded'; at: string; result?: unknown }
  | { type: 'failed'; at: string; error: OperationError; result?: unknown }
  | { type: 'approved'; at: string; by: string }
  | { type: 'rejected'; at: string; by?: string; error: OperationError }
  | { type: 'cancelled'; at: string; by: string };

const next: Record<OperationChange['type'], OperationStatus> = {
  started: 'running', progressed: 'running', succeeded: 'succeeded', failed: 'failed',
  approved: 'queued', rejected: 'rejected', cancelled: 'cancelled',
};

/**
 * Folds one change into an operation. A terminal operation never changes again, so late
 * or duplicated events (redeliveries, a cancel racing a success) are harmless.
 * Returns undefined when the change does not apply.
 */
export function applyChange(op: Operation, change: OperationChange): Operation | undefined {
  if (isTerminal(op.status)) return undefined;
  if ((change.type === 'approved' || change.type === 'rejected') && change.by && op.status !== 'awaiting_approval') return undefined;
  if (op.status === 'awaiting_approval' && ['started', 'progressed', 'succeeded'].includes(change.type)) return undefined;
  const updated: Operation = { ...op, status: next[change.type], updatedAt: change.at };
  if (change.type === 'progressed') updated.progress = change.progress;
  if (change.type === 'succeeded' || change.type === 'failed') updated.result = change.result ?? op.result;
  if (change.type === 'succeeded' && op.progress) updated.progress = { ...op.progress, current: op.progress.total };
  if (change.type === 'failed' || change.type === 'rejected') updated.error = change.error;
  if (change.type === 'approved' || (change.type === 'rejected' && change.by)) {
    updated.approvals = [...(op.approvals ?? []), { subject: change.by!, at: change.at, decision: change.type === 'approved' ? 'approve' : 'reject' }];
  }
  if (change.type === 'cancelled') updated.error = { code: 'Cancelled', message: `cancelled by ${change.by}` };
  return updated;
}
