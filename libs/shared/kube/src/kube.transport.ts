import type https from 'node:https';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { KubeConfig } from '@kubernetes/client-node';
import { ApiConnection, type WireRequest, type WireResponse } from './kube.connection';
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

/** What a watch hands on: each event's type and object, then its end (an error, or none). */
export interface WatchCallbacks {
  onEvent: (type: string, obj: unknown) => void;
  onDone: (err?: unknown) => void;
}

/**
 * Sends requests and watches to one apiserver. TLS material and credentials come from the
 * KubeConfig (`applyToHTTPSOptions`, per request, so rotated tokens are picked up); the
 * wire is one shared ApiConnection per cluster (HTTP/2 when the server speaks it, as client-go),
 * not client-node's fetch path, which builds an undici Agent per call and cannot send repeated
 * Impersonate-Group headers, subresources or raw JSON bodies.
 */
export class KubeTransport {
  private readonly connection: ApiConnection;

  constructor(
    private readonly kc: KubeConfig,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {
    this.connection = new ApiConnection(new URL(this.server || 'http://unset.invalid'));
  }

  get server(): string {
    return this.kc.getCurrentCluster()?.server ?? '';
  }

  /** The wire protocol in use (`h2`, `http/1.1`, `unknown` before the first call) and its TCP connections now. */
  wire(): { protocol: string; connections: number } {
    return { protocol: this.connection.negotiated, connections: this.connection.connections() };
  }

  /** Resolves with the parsed body of a 2xx answer; rejects with a `KubeError` otherwise. */
  async request<T = unknown>(req: KubeRequest): Promise<T> {
    if (req.signal?.aborted) {
      throw KubeError.aborted();
    }
    const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
    const wire = await this.prepare(req, payload);
    const started = performance.now();
    const { status, body } = await this.send(wire, req.signal).catch((err: unknown) => {
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
   * A watch (`?watch=true`) on the same connection as every request: one event per line until
   * the server ends it, `abort()`, or `inactivityMs` without a byte (then `onDone` gets a
   * TimeoutError, a normal end). A refusal ends it with a KubeError carrying `statusCode`
   * (410: the resourceVersion is too old).
   */
  async watch(path: string, query: KubeRequest['query'], inactivityMs: number, cb: WatchCallbacks): Promise<{ abort(): void }> {
    const controller = new AbortController();
    let ended = false;
    const end = (err?: unknown): void => {
      if (ended) return;
      ended = true;
      controller.abort();
      cb.onDone(err);
    };
    try {
      const wire = await this.prepare({ method: 'GET', path, query: { ...query, watch: true } }, undefined);
      const res = await this.connection.open({ ...wire, signal: controller.signal, idleTimeoutMs: inactivityMs, long: true });
      if (res.status !== 200) {
        const body = parseBody(await readAll(res.body), contentTypeOf(res.headers));
        throw Object.assign(KubeError.fromResponse(res.status, body), { statusCode: res.status });
      }
      const lines = createInterface({ input: res.body, crlfDelay: Infinity });
      lines.on('line', (line) => eventOf(line, cb.onEvent));
      // readline re-emits the body's errors (an abort destroys the body): both ends go through `end`.
      res.body.on('error', end);
      lines.on('error', end);
      lines.once('close', () => end());
      res.body.once('close', () => end());
    } catch (err) {
      end(ended ? undefined : err);
    }
    return { abort: () => end() };
  }

  /** Closes the cluster's connection (registry close, tests). */
  destroy(): void {
    this.connection.destroy();
  }

  private async prepare(req: KubeRequest, payload: string | undefined): Promise<Omit<WireRequest, 'idleTimeoutMs'>> {
    const url = buildUrl(this.server, req.path, req.query);
    const options: https.RequestOptions = {
      headers: {
        accept: 'application/json',
        'user-agent': 'bosun',
        // Content-Length always: Node frames a DELETE body neither by length nor chunked, so without it the
        // apiserver ignores the body (DeleteOptions preconditions) and reads it as the next request on a kept-alive socket.
        ...(payload === undefined ? {} : { 'content-type': req.contentType ?? 'application/json', 'content-length': Buffer.byteLength(payload) }),
      },
    };
    try {
      await this.kc.applyToHTTPSOptions(options);
    } catch (err) {
      throw KubeError.unreachable(err, this.server);
    }
    const headers = lowerCased({ ...(options.headers as Record<string, string | string[] | number>), ...impersonationHeaders(req.as) });
    // Basic credentials (username/password users): a header, as HTTP/2 has no `auth` option.
    if (options.auth) headers.authorization = `Basic ${Buffer.from(options.auth).toString('base64')}`;
    const { ca, cert, key, pfx, passphrase, rejectUnauthorized, servername } = options;
    return { method: req.method, url, headers, payload, tls: { ca, cert, key, pfx, passphrase, rejectUnauthorized, servername } };
  }

  private async send(wire: Omit<WireRequest, 'idleTimeoutMs'>, signal: AbortSignal | undefined): Promise<{ status: number; body: unknown }> {
    try {
      const res = await this.connection.open({ ...wire, signal, idleTimeoutMs: this.timeoutMs });
      return { status: res.status, body: parseBody(await readAll(res.body), contentTypeOf(res.headers)) };
    } catch (err) {
      throw this.failure(err, signal);
    }
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

function readAll(body: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    body.on('data', (c: Buffer) => chunks.push(c));
    body.once('error', reject);
    body.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

const contentTypeOf = (headers: WireResponse['headers']): string | undefined => {
  const v = headers['content-type'];
  return Array.isArray(v) ? v[0] : v;
};

function lowerCased(headers: Record<string, string | string[] | number>): Record<string, string | string[] | number> {
  return Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined).map(([k, v]) => [k.toLowerCase(), v]));
}

function eventOf(line: string, onEvent: WatchCallbacks['onEvent']): void {
  if (!line) return;
  let data: { type?: string; object?: unknown };
  try {
    data = JSON.parse(line) as { type?: string; object?: unknown };
  } catch {
    return; // not an event
  }
  onEvent(String(data.type), data.object);
}
