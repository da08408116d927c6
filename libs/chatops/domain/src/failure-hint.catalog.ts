/**
 * What to do next, in plain words, for the failure codes people meet in chat: the
 * operation error codes of API.md, the diagnosis codes and the problem+json statuses.
 */
const HINTS: Record<string, string> = {
  ProgressDeadlineExceeded: 'The rollout did not finish in time: new pods are crashing, failing their readiness probe or waiting for room. Diagnose it to see which, or roll back.',
  Forbidden: 'Kubernetes refused this for your identity. Ask a cluster admin for a RoleBinding that allows it in this namespace.',
  Unauthorized: 'Bosun could not tell who you are. Check your token, or ask an admin to link your chat user.',
  ImagePullBackOff: 'The image could not be pulled. Check the name and tag, that the registry is reachable, and that pull credentials (imagePullSecrets) are set.',
  ErrImagePull: 'The image could not be pulled. Check the name and tag, that the registry is reachable, and that pull credentials (imagePullSecrets) are set.',
  CrashLoopBackOff: 'The container starts and exits again and again. Its last logs say why (kubectl logs --previous).',
  OOMKilled: 'The container ran out of memory and was killed. Raise its memory limit or make it use less.',
  Unschedulable: 'No node can take the pod: not enough free CPU or memory, or its node selector, affinity or taints rule every node out.',
  QuotaExceeded: "The namespace's ResourceQuota is used up. Lower the requests, remove something, or ask for more quota.",
  NotReady: 'The pods run but are not ready: the readiness probe keeps failing. Check the probe path and port, and what the app logs.',
  NotFound: 'It does not exist, or no longer. Check the namespace and the name.',
  Conflict: 'Someone changed the same thing at the same moment. Look at its current state and try again.',
  AlreadyExists: 'Something with that name already exists.',
  Invalid: 'Kubernetes refused the request as invalid; the message names the field.',
  DrainBlocked: 'A PodDisruptionBudget kept some pods from being evicted before the timeout. Scale the owner up, or relax the budget, then drain again.',
  TooManyRequests: 'Too many requests right now; wait a moment and try again.',
  Timeout: 'Part of Bosun did not answer in time. Try again in a moment; the operation may still finish.',
  Unreachable: 'Part of Bosun or the cluster cannot be reached right now. Try again shortly, or ask an operator to check `/readyz`.',
  NotImplemented: 'This is not built yet.',
  ApprovalExpired: 'Nobody approved it in time, so it never ran. Ask again when an approver is around.',
};

const STATUS_CODES: Record<number, string> = {
  401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 409: 'Conflict', 422: 'Invalid', 429: 'TooManyRequests',
  503: 'Unreachable', 504: 'Timeout', 501: 'NotImplemented',
};

/** The hint for a failure code, if there is one worth saying. */
export const hintFor = (code: string | undefined): string | undefined => (code ? HINTS[code] : undefined);

/** The stable failure code for an HTTP status (the reverse of FAILURE_HTTP_STATUS). */
export const codeForStatus = (status: number | undefined): string | undefined =>
  status === undefined ? undefined : STATUS_CODES[status];
