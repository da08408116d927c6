import type { Failure, FieldError } from '@bosun/contracts';
import { isKubeError, UnknownClusterError } from '@bosun/kube';
import { UnrecoverableError } from '@bosun/messaging';

/**
 * An expected failure of an operation: a stable code, words for people, and whatever helps
 * them (field errors, the object as it was, a diagnosis). Never retried.
 */
export class OperationFailure extends UnrecoverableError {
  constructor(
    readonly code: string,
    message: string,
    readonly details: { fieldErrors?: FieldError[]; result?: unknown } = {},
  ) {
    super(message);
    this.name = 'OperationFailure';
  }
}

/** The service is stopping: the job goes back to the queue untouched, to be resumed elsewhere. */
export class Interrupted extends Error {
  constructor() {
    super('interrupted by shutdown');
    this.name = 'Interrupted';
  }
}

/** The operation was cancelled: it ends here and reports nothing (the gateway already shows it). */
export class Cancelled extends Error {
  constructor(readonly by?: string) {
    super(`cancelled${by ? ` by ${by}` : ''}`);
    this.name = 'Cancelled';
  }
}

export interface FailureVerdict {
  failure: Failure;
  /** worth another attempt: the same call may well succeed later. */
  retryable: boolean;
  result?: unknown;
}

/**
 * Kubernetes reasons that can change by waiting: the apiserver is away, overloaded, or the
 * object moved under us (Conflict: the retry re-reads it). Every other reason (Forbidden,
 * Invalid, NotFound, BadRequest, AlreadyExists, Unauthorized...) fails the operation at once.
 */
const TRANSIENT_REASONS = new Set([
  'Unreachable', 'TooManyRequests', 'Conflict', 'Timeout', 'ServerTimeout', 'InternalError', 'ServiceUnavailable', 'Expired', 'Aborted',
]);

export const joinFieldErrors = (errors: FieldError[]): string => errors.map((e) => `${e.path}: ${e.message}`).join('; ');

/** Maps whatever a step threw to the code and message the operation fails with, and whether to try again. */
export const classifyFailure = (err: unknown): FailureVerdict => {
  if (err instanceof OperationFailure) {
    const { fieldErrors, result } = err.details;
    return { failure: { code: err.code, message: err.message, ...(fieldErrors ? { fieldErrors } : {}) }, retryable: false, result };
  }
  if (isKubeError(err)) {
    // Kubernetes' reason and message verbatim (ARCHITECTURE.md → Kubernetes).
    const fieldErrors = err.causes?.filter((c) => c.field).map((c) => ({ path: c.field as string, message: c.message ?? c.reason ?? '' }));
    const retryable = TRANSIENT_REASONS.has(err.reason) || err.status >= 500 || err.status === 0;
    return { failure: { code: err.reason, message: err.message, ...(fieldErrors?.length ? { fieldErrors } : {}) }, retryable };
  }
  if (err instanceof UnknownClusterError) return { failure: { code: 'NotFound', message: err.message }, retryable: false };
  const message = err instanceof Error ? err.message : String(err);
  return { failure: { code: 'Internal', message }, retryable: true };
};

/** A validation failure whose message names every field. */
export const invalid = (errors: FieldError[], prefix = 'invalid request'): OperationFailure =>
  new OperationFailure('Invalid', `${prefix}: ${joinFieldErrors(errors)}`, { fieldErrors: errors });
