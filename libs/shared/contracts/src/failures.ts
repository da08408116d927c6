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
