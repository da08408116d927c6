import type { Operation, OperationError, OperationStatus, Progress } from '@bosun/contracts';
import { isTerminal } from '@bosun/contracts';

export type OperationChange =
  | { type: 'started'; at: string; message?: string }
  | { type: 'progressed'; at: string; progress: Progress }
  | { type: 'succeeded'; at: string; result?: unknown }
  | { type: 'failed'; at: string; error: OperationError; result?: unknown }
  | { type: 'approved'; at: string; by: string }
  | { type: 'rejected'; at: string; by?: string; error: OperationError }
  /** `error` says more than "cancelled by" when it matters, e.g. a change that had already been made. */
  | { type: 'cancelled'; at: string; by: string; error?: OperationError };

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
  if (!applies(op, change)) return undefined;
  return { ...op, status: next[change.type], updatedAt: change.at, ...fieldsOf(op, change) };
}

const SERVICE_EVENTS: readonly OperationChange['type'][] = ['started', 'progressed', 'succeeded'];

function applies(op: Operation, change: OperationChange): boolean {
  if (isTerminal(op.status)) return false;
  // Only a waiting operation can be approved or rejected, and a service cannot start one.
  if (change.type === 'approved' || change.type === 'rejected') return op.status === 'awaiting_approval';
  return !(op.status === 'awaiting_approval' && SERVICE_EVENTS.includes(change.type));
}

function fieldsOf(op: Operation, change: OperationChange): Partial<Operation> {
  switch (change.type) {
    case 'progressed': return { progress: change.progress };
    case 'succeeded': return { result: change.result ?? op.result, ...(op.progress ? { progress: { current: op.progress.total, total: op.progress.total, message: 'completed' } } : {}) };
    case 'failed': return { result: change.result ?? op.result, error: change.error };
    case 'approved': return { approvals: [...(op.approvals ?? []), { subject: change.by, at: change.at, decision: 'approve' }] };
    case 'rejected': return { error: change.error, ...(change.by ? { approvals: [...(op.approvals ?? []), { subject: change.by, at: change.at, decision: 'reject' as const }] } : {}) };
    case 'cancelled': return { error: change.error ?? { code: 'Cancelled', message: `cancelled by ${change.by}` } };
    default: return {};
  }
}
