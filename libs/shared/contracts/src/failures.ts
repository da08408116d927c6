/**
 * Every failure code a service query can reply with (QueryReply `error.code`), and its HTTP
 * meaning at the gateway's edge. Kubernetes `StatusReason`s pass through services unchanged,
 * so they are all here. `Record<FailureCode, number>` makes the compiler refuse a code
 * without a status; a code that still reaches the edge unmapped is a bug (502, logged, counted).
 */
export const FAILURE_CODES = [
  // Bosun's own
  'Invalid', 'NotFound', 'Forbidden', 'Unauthorized', 'Conflict', 'AlreadyExists', 'TooManyRequests',
  'Unreachable', 'Timeout', 'NotImplemented', 'Internal', 'Unavailable', 'DeadLettered', 'Lost',
  // Operation outcomes (an operation's error.code; mapped too, should a query or the edge ever relay one)
  'Stale', 'Cancelled', 'CancelledAfterChange', 'Rejected', 'ApprovalExpired',
  // The services' own: deployer, provisioner (tenants, nodes)
  'ProgressDeadlineExceeded', 'RolloutTimeout', 'RevisionNotFound', 'NoPreviousRevision', 'DeploymentPaused',
  'DrainBlocked', 'DrainRefused', 'DrainTimeout', 'DeleteTimeout',
  // Kubernetes metav1.StatusReason (those not above), and the adapter's fallback for a status without one
  'BadRequest', 'Gone', 'Expired', 'ServiceUnavailable', 'InternalError', 'ServerTimeout', 'MethodNotAllowed',
  'RequestEntityTooLarge', 'UnsupportedMediaType', 'NotAcceptable', 'StoreReadError', 'Unknown',
] as const;
export type FailureCode = (typeof FAILURE_CODES)[number];

/**
 * Errors of the service or of Kubernetes behind it (Internal, InternalError, StoreReadError,
 * Unknown) are 502: the gateway is fine, what it relayed to is not.
 */
export const FAILURE_HTTP_STATUS: Record<FailureCode, number> = {
  Invalid: 422,
  NotFound: 404,
  Forbidden: 403,
  Unauthorized: 401,
  Conflict: 409,
  AlreadyExists: 409,
  TooManyRequests: 429,
  Unreachable: 503,
  Timeout: 504,
  NotImplemented: 501,
  Internal: 502,
  Unavailable: 503,
  DeadLettered: 502,
  Lost: 502,
  // A command older than the service accepts was not run: the request expired.
  Stale: 410,
  Cancelled: 409,
  CancelledAfterChange: 409,
  Rejected: 403,
  ApprovalExpired: 410,
  // A rollout that did not finish in time: the cluster behind the gateway did not get there.
  ProgressDeadlineExceeded: 504,
  RolloutTimeout: 504,
  // API.md: an unknown revision is a 422; rolling back a paused deployment conflicts with its state.
  RevisionNotFound: 422,
  NoPreviousRevision: 422,
  DeploymentPaused: 409,
  // Budgets hold pods (the Eviction API's 429 persisted past the timeout): the cluster's state refuses it.
  DrainBlocked: 409,
  // A pod needs force or deleteEmptyDirData: the request as given cannot be carried out.
  DrainRefused: 422,
  DrainTimeout: 504,
  DeleteTimeout: 504,
  BadRequest: 400,
  Gone: 410,
  Expired: 410,
  ServiceUnavailable: 503,
  InternalError: 502,
  ServerTimeout: 504,
  MethodNotAllowed: 405,
  RequestEntityTooLarge: 413,
  UnsupportedMediaType: 415,
  NotAcceptable: 406,
  StoreReadError: 502,
  Unknown: 502,
};

export const isFailureCode = (code: string): code is FailureCode => Object.hasOwn(FAILURE_HTTP_STATUS, code);
