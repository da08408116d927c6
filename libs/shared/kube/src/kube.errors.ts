export interface KubeCause {
  field?: string;
  reason?: string;
  message?: string;
}

export type KubeReason =
  | 'Forbidden'
  | 'NotFound'
  | 'Conflict'
  | 'Invalid'
  | 'TooManyRequests'
  | 'AlreadyExists'
  | 'Unauthorized'
  | 'Unreachable'
  | 'Aborted'
  | (string & {});

// Used only when the apiserver (or a proxy in front of it) answered without a Status body.
const REASON_BY_CODE: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Expired',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

interface StatusBody {
  kind?: unknown;
  message?: unknown;
  reason?: unknown;
  code?: unknown;
  details?: { causes?: unknown };
}

function asStatus(body: unknown): StatusBody | undefined {
  if (body && typeof body === 'object' && (body as StatusBody).kind === 'Status') {
    return body as StatusBody;
  }
  return undefined;
}

function toCauses(raw: unknown): KubeCause[] | undefined {
  if (!Array.isArray(raw) || raw.length === 0) {
    return undefined;
  }
  return raw.map((c: Record<string, unknown>) => ({
    field: typeof c.field === 'string' ? c.field : undefined,
    reason: typeof c.reason === 'string' ? c.reason : undefined,
    message: typeof c.message === 'string' ? c.message : undefined,
  }));
}

function textOf(body: unknown): string {
  if (typeof body === 'string') {
    return body.trim().slice(0, 2000);
  }
  return body === undefined ? '' : JSON.stringify(body).slice(0, 2000);
}

/**
 * A failed Kubernetes call. `reason` and `message` are the apiserver's own
 * (`metav1.Status`), so callers can show Kubernetes' words verbatim.
 */
export class KubeError extends Error {
  override readonly name = 'KubeError';

  constructor(
    /** HTTP status; 0 when no response arrived. */
    readonly status: number,
    readonly reason: KubeReason,
    message: string,
    readonly causes?: KubeCause[],
  ) {
    super(message);
  }

  /** Builds the error from an HTTP status and the response body (parsed JSON or text). */
  static fromResponse(status: number, body: unknown): KubeError {
    const st = asStatus(body);
    const reason = typeof st?.reason === 'string' && st.reason ? st.reason : REASON_BY_CODE[status] ?? 'Unknown';
    const message = typeof st?.message === 'string' ? st.message : textOf(body) || `HTTP ${status}`;
    return new KubeError(status, reason, message, toCauses(st?.details?.causes));
  }

  /** A connection-level failure: refused, reset, DNS, TLS, timeout. */
  static unreachable(err: unknown, server?: string): KubeError {
    const e = err as { code?: string; message?: string };
    const detail = [e?.code, e?.message].filter(Boolean).join(': ') || String(err);
    return new KubeError(0, 'Unreachable', server ? `${server}: ${detail}` : detail);
  }

  static aborted(): KubeError {
    return new KubeError(0, 'Aborted', 'the call was aborted');
  }

  /** A plain object for logs and API responses. */
  toJSON(): { status: number; reason: string; message: string; causes?: KubeCause[] } {
    return { status: this.status, reason: this.reason, message: this.message, causes: this.causes };
  }
}

export function isKubeError(err: unknown, reason?: KubeReason): err is KubeError {
  return err instanceof KubeError && (reason === undefined || err.reason === reason);
}
