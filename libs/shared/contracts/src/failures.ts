/**
 * Stable failure codes shared by every service and their HTTP meaning at the edge.
 * Kubernetes reasons (Forbidden, NotFound, Conflict, Invalid, …) pass through unchanged.
 */
export const FAILURE_HTTP_STATUS: Record<string, number> = {
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
};
