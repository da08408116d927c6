import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeError } from './kube.errors';
import type { Identity } from './kube.port';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface KubeRequest {
  method: HttpMethod;
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  as?: Identity;
  signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 30_000;
// Header values reach the wire verbatim; refuse anything that could split a header.
const SAFE_HEADER_VALUE = /^[^\r\n\0]+$/;

function impersonationHeaders(as: Identity | undefined): Record<string, string | string[]> {
  if (!as) {
    return {};
  }
  const values = [as.user, ...(as.groups ?? [])];
  if (!values.every((v) => typeof v === 'string' && SAFE_HEADER_VALUE.test(v))) {
    throw new KubeError(400, 'BadRequest', 'impersonated user and groups must be non-empty single-line strings');
  }
  // One header line per group: the apiserver reads repeated Impersonate-Group headers,
  // a comma-joined value would be taken as a single group name.
  const headers: Record<string, string | string[]> = { 'Impersonate-User': as.user };
  if (as.groups?.length) {
    headers['Impersonate-Group'] = as.groups;
  }
  return headers;
}

export function buildUrl(server: string, path: string, query: KubeRequest['query']): URL {
  const url = new URL(server.replace(/\/$/, '') + path);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) {
      url.searchParams.set(key, String(value));
    }
  }
  return url;
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (raw && contentType?.includes('json')) {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  }
  return raw;
}

/**
 * Sees every apiserver answer (metrics): the HTTP method, the status (0 = unreachable), the seconds it took
 * and the request's path without its query (`/api/v1/persistentvolumes`; tests tell which reads were made).
 */
export type KubeRequestObserver = (method: string, status: number, seconds: number, path: string) => void;
let observer: KubeRequestObserver | undefined;

/**
 * Installs the process's request observer (the service kit's Prometheus metrics) and returns the one it
 * replaces, so that a test can chain to it instead of taking the metrics away.
 */
export const observeKubeRequests = (fn: KubeRequestObserver | undefined): KubeRequestObserver | undefined => {
  const previous = observer;
  observer = fn;
  return previous;
};

/**
 * Sends one request to an apiserver. TLS material and credentials come from the
 * KubeConfig (`applyToHTTPSOptions`, which also caches the agent per cluster and user);
 * node:http is used directly because client-node's fetch path and generic object API
 * cannot send repeated Impersonate-Group headers, subresources or raw JSON bodies.
 */
export class KubeTransport {
  private agent?: https.Agent;

  constructor(
    private readonly kc: KubeConfig,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {}

  get server(): string {
    return this.kc.getCurrentCluster()?.server ?? '';
  }

  /** Resolves with the parsed body of a 2xx answer; rejects with a `KubeError` otherwise. */
  async request<T = unknown>(req: KubeRequest): Promise<T> {
    if (req.signal?.aborted) {
      throw KubeError.aborted();
    }
    const url = buildUrl(this.server, req.path, req.query);
    const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
    const options: https.RequestOptions = {
      method: req.method,
      headers: {
        Accept: 'application/json',
        'User-Agent': 'bosun',
        // Content-Length always: Node frames a DELETE body neither by length nor chunked, so without it the
        // apiserver ignores the body (DeleteOptions preconditions) and reads it as the next request on a kept-alive socket.
        ...(payload === undefined ? {} : { 'Content-Type': req.contentType ?? 'application/json', 'Content-Length': Buffer.byteLength(payload) }),
      },
    };
    try {
      await this.kc.applyToHTTPSOptions(options);
    } catch (err) {
      throw KubeError.unreachable(err, this.server);
    }
    if (url.protocol === 'https:') options.agent = this.keepAliveAgent(options);
    Object.assign(options.headers as object, impersonationHeaders(req.as));
    const started = performance.now();
    const { status, body } = await this.send(url, options, payload, req.signal).catch((err: unknown) => {
      observer?.(req.method, 0, (performance.now() - started) / 1000, req.path);
      throw err;
    });
    observer?.(req.method, status, (performance.now() - started) / 1000, req.path);
    if (status >= 200 && status < 300) {
      return body as T;
    }
    throw KubeError.fromResponse(status, body);
  }

  /**
   * client-node's agent has no keep-alive, so every call paid a TLS handshake (~10 ms
   * here). One keep-alive agent per cluster, with the same TLS material; impersonation
   * travels in headers, so every identity shares it. Idle sockets are unref'd by Node.
   */
  private keepAliveAgent(o: https.RequestOptions): https.Agent {
    this.agent ??= new https.Agent({
      keepAlive: true, maxSockets: 128, ca: o.ca, cert: o.cert, key: o.key, pfx: o.pfx, passphrase: o.passphrase,
      rejectUnauthorized: o.rejectUnauthorized, servername: o.servername,
    });
    return this.agent;
  }

  /** Closes pooled connections (registry close, tests). */
  destroy(): void {
    this.agent?.destroy();
  }

  private send(
    url: URL,
    options: https.RequestOptions,
    payload: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<{ status: number; body: unknown }> {
    const lib = url.protocol === 'http:' ? http : https;
    return new Promise((resolve, reject) => {
      const req = lib.request(url, { ...options, signal, timeout: this.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => reject(this.failure(err, signal)));
        res.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: parseBody(raw, res.headers['content-type']) });
        });
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${this.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      req.on('error', (err) => reject(this.failure(err, signal)));
      req.end(payload);
    });
  }

  private failure(err: unknown, signal: AbortSignal | undefined): KubeError {
    if (!signal?.aborted) {
      return KubeError.unreachable(err, this.server);
    }
    // A caller's deadline (AbortSignal.timeout) means the server did not answer in time.
    const reason = signal.reason as { name?: string } | undefined;
    return reason?.name === 'TimeoutError' ? KubeError.unreachable(reason, this.server) : KubeError.aborted();
  }
}
