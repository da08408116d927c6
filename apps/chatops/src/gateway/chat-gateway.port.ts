import type { FieldError, Operation } from '@bosun/contracts';

/** The chat user a request is made for; the gateway runs it as the subject linked to them. */
export interface ChatUser {
  platform: 'slack' | 'webhook';
  userId: string;
}

/** An answer the gateway refused, or could not give, in problem+json terms. */
export interface GatewayProblem {
  title: string;
  status?: number;
  detail?: string;
  /** `ChatIdentityNotLinked`, `Invalid`, `Forbidden`, … and ours: `Unavailable`, `Timeout`. */
  code?: string;
  errors?: FieldError[];
  /** The gateway itself could not be reached (or timed out): no HTTP answer came at all. */
  transport?: boolean;
}

export type GatewayResult<T> = { ok: true; status: number; value: T } | { ok: false; problem: GatewayProblem };

export interface GatewayCall {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  body?: unknown;
  timeoutMs: number;
}

/**
 * Port: Bosun's public HTTP API as chat uses it, always on behalf of one chat user.
 * Failures are values; only bugs throw (and a stream that drops mid-way).
 */
export abstract class ChatGateway {
  abstract call<T>(user: ChatUser, call: GatewayCall): Promise<GatewayResult<T>>;
  /** `GET /v1/operations/{id}/events`: the current state, then every change, ending after the terminal one. */
  abstract operationEvents(user: ChatUser, operationId: string, signal: AbortSignal): Promise<GatewayResult<AsyncIterable<Operation>>>;
}

export const NOT_LINKED = 'ChatIdentityNotLinked';
