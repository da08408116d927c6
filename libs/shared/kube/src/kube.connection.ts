import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import { isIP } from 'node:net';
import type { Readable } from 'node:stream';
import tls from 'node:tls';

/** The TLS material of a request, as `KubeConfig.applyToHTTPSOptions` leaves it. */
export type TlsMaterial = Pick<https.RequestOptions, 'ca' | 'cert' | 'key' | 'pfx' | 'passphrase' | 'rejectUnauthorized' | 'servername'>;

export interface WireRequest {
  method: string;
  url: URL;
  /** lower-case names; an array value is sent as one header line per value */
  headers: Record<string, string | string[] | number>;
  tls: TlsMaterial;
  payload?: string;
  signal?: AbortSignal;
  /** no byte for this long ends the request with ETIMEDOUT (a watch: with a TimeoutError) */
  idleTimeoutMs: number;
  /** a watch: holds its stream for minutes */
  long?: boolean;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
}

/**
 * The most TCP connections one cluster's client opens for requests over HTTP/1.1 (an apiserver
 * that does not speak HTTP/2, or a plain-HTTP proxy). Over HTTP/2 there is one.
 */
export const MAX_HTTP1_SOCKETS = 4;
// client-go's HTTP/2 health check: a PING when the connection carries streams, dropped if unanswered.
const PING_EVERY_MS = 30_000;
const PING_TIMEOUT_MS = 15_000;
const STREAM_WINDOW = 4 << 20;
const SESSION_WINDOW = 16 << 20;
const MAX_STREAMS = 1000;

interface Session {
  h2: http2.ClientHttp2Session;
  tls: TlsMaterial;
  /** GOAWAY received or replaced: no new streams */
  draining: boolean;
  active: number;
}

const TLS_FIELDS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const;
const same = (a: unknown, b: unknown): boolean => (Buffer.isBuffer(a) && Buffer.isBuffer(b) ? a.equals(b) : a === b || String(a) === String(b));
const sameTls = (a: TlsMaterial, b: TlsMaterial): boolean => TLS_FIELDS.every((f) => same(a[f], b[f]));

/**
 * The connection of one cluster's client to its apiserver, shared by every request and watch of
 * that cluster: like client-go, one HTTP/2 connection multiplexing them all (chosen by ALPN),
 * else a keep-alive pool of at most MAX_HTTP1_SOCKETS for requests, each watch on a socket
 * of its own (an HTTP/1.1 response holds its socket for as long as it lasts).
 */
export class ApiConnection {
  private protocol: 'unknown' | 'h2' | 'http/1.1';
  private sessions: Session[] = [];
  private connecting?: Promise<Session | undefined>;
  private agent?: { agent: http.Agent; tls: TlsMaterial };
  private watchAgent?: { agent: http.Agent; tls: TlsMaterial };
  private pinger?: NodeJS.Timeout;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly origin: URL) {
    this.protocol = origin.protocol === 'https:' ? 'unknown' : 'http/1.1';
  }

  /** `h2` once an HTTP/2 connection was made, `http/1.1` without one, `unknown` before the first request. */
  get negotiated(): string {
    return this.protocol;
  }

  /** TCP connections open now (HTTP/2 sessions and HTTP/1.1 sockets, busy or idle). */
  connections(): number {
    const sockets = (a?: http.Agent): number => [a?.sockets, a?.freeSockets].reduce((n, group) => n + Object.values(group ?? {}).reduce((m, list) => m + (list?.length ?? 0), 0), 0);
    return this.sessions.filter((s) => !s.h2.destroyed).length + sockets(this.agent?.agent) + sockets(this.watchAgent?.agent);
  }

  /** Sends one request; resolves once the response headers arrived, with the body to read. */
  async open(req: WireRequest): Promise<WireResponse> {
    const session = this.protocol === 'http/1.1' ? undefined : await this.session(req.tls);
    return session ? this.openStream(session, req) : this.openHttp1(req);
  }

  /** Closes every connection (registry close, tests). */
  destroy(): void {
    clearInterval(this.pinger);
    this.pinger = undefined;
    for (const s of this.sessions.splice(0)) s.h2.destroy();
    this.agent?.agent.destroy();
    this.watchAgent?.agent.destroy();
    this.agent = this.watchAgent = undefined;
  }

  private async session(material: TlsMaterial): Promise<Session | undefined> {
    const live = this.sessions.find((s) => !s.draining && !s.h2.destroyed && !s.h2.closed);
    if (live && sameTls(live.tls, material)) return live;
    // Rotated credentials (an exec plugin's new certificate): new streams go to a new connection, the old one ends with its streams.
    if (live) this.drain(live);
    this.connecting ??= this.connect(material).finally(() => { this.connecting = undefined; });
    return this.connecting;
  }

  /** A TLS connection offering h2 and http/1.1; HTTP/2 if the server picks it. */
  private async connect(material: TlsMaterial): Promise<Session | undefined> {
    const host = this.origin.hostname.replace(/^\[|\]$/g, '');
    const socket = await new Promise<tls.TLSSocket>((resolve, reject) => {
      const s = tls.connect({
        host, port: Number(this.origin.port || 443), ALPNProtocols: ['h2', 'http/1.1'],
        servername: material.servername ?? (isIP(host) ? undefined : host),
        ca: material.ca, cert: material.cert, key: material.key, pfx: material.pfx, passphrase: material.passphrase, rejectUnauthorized: material.rejectUnauthorized,
      });
      s.once('secureConnect', () => resolve(s));
      s.once('error', reject);
    });
    if (socket.alpnProtocol !== 'h2') {
      socket.destroy();
      this.protocol = 'http/1.1';
      return undefined;
    }
    this.protocol = 'h2';
    const h2 = http2.connect(this.origin, { createConnection: () => socket, settings: { enablePush: false, initialWindowSize: STREAM_WINDOW }, maxSessionMemory: 64 });
    const session: Session = { h2, tls: material, draining: false, active: 0 };
    h2.on('connect', () => h2.setLocalWindowSize(SESSION_WINDOW));
    h2.on('goaway', () => { session.draining = true; });
    // Its streams see the error; the next request connects again.
    h2.on('error', () => { session.draining = true; });
    h2.on('close', () => { this.sessions = this.sessions.filter((s) => s !== session); });
    h2.unref();
    this.sessions.push(session);
    this.pinger ??= setInterval(() => this.ping(), PING_EVERY_MS).unref();
    return session;
  }

  private drain(session: Session): void {
    session.draining = true;
    session.h2.close();
  }

  private ping(): void {
    for (const s of this.sessions) {
      if (!s.active || s.h2.destroyed) continue;
      const timer = setTimeout(() => s.h2.destroy(new Error(`no answer to an HTTP/2 PING within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS).unref();
      if (!s.h2.ping(() => clearTimeout(timer))) clearTimeout(timer);
    }
  }

  /** Below the server's concurrent-stream limit, a request waits for a stream to end. */
  private async slot(session: Session): Promise<void> {
    const limit = Math.min(session.h2.remoteSettings?.maxConcurrentStreams ?? 100, MAX_STREAMS);
    while (session.active >= limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    session.active++;
    if (session.active === 1) session.h2.ref();
  }

  private release(session: Session): void {
    session.active--;
    if (session.active === 0 && !session.h2.destroyed) session.h2.unref();
    this.waiting.shift()?.();
  }

  private async openStream(session: Session, req: WireRequest): Promise<WireResponse> {
    await this.slot(session);
    return new Promise((resolve, reject) => {
      let answered = false;
      let stream: http2.ClientHttp2Stream;
      try {
        stream = session.h2.request({ ':method': req.method, ':path': `${req.url.pathname}${req.url.search}`, ...req.headers }, { endStream: req.payload === undefined });
      } catch (err) {
        this.release(session);
        session.draining = true; // out of stream ids, or closed meanwhile
        reject(err);
        return;
      }
      const onAbort = (): void => { stream.destroy(abortError(req.signal)); };
      req.signal?.addEventListener('abort', onAbort, { once: true });
      stream.setTimeout(req.idleTimeoutMs, () => stream.destroy(idleError(req)));
      stream.once('response', (headers) => {
        answered = true;
        resolve({ status: Number(headers[':status']), headers: headers as WireResponse['headers'], body: stream });
      });
      stream.on('error', (err) => { if (!answered) reject(err); });
      stream.once('close', () => {
        req.signal?.removeEventListener('abort', onAbort);
        this.release(session);
        if (!answered) reject(Object.assign(new Error(`the HTTP/2 stream was closed before an answer (code ${stream.rstCode})`), { code: 'ECONNRESET' }));
      });
      if (req.signal?.aborted) onAbort();
      else if (req.payload !== undefined) stream.end(req.payload);
    });
  }

  private openHttp1(req: WireRequest): Promise<WireResponse> {
    const lib = req.url.protocol === 'http:' ? http : https;
    const agent = this.http1Agent(req);
    return new Promise((resolve, reject) => {
      let response: http.IncomingMessage | undefined;
      const r = lib.request(req.url, { method: req.method, headers: req.headers, agent, signal: req.signal, timeout: req.idleTimeoutMs }, (res) => {
        response = res;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res });
      });
      // Silent mid-body too: the body's reader must see why it ended.
      r.on('timeout', () => (response ?? r).destroy(idleError(req)));
      r.on('error', reject);
      r.end(req.payload);
    });
  }

  private http1Agent(req: WireRequest): http.Agent {
    const slot = req.long ? 'watchAgent' : 'agent';
    const current = this[slot];
    if (current && sameTls(current.tls, req.tls)) return current.agent;
    current?.agent.destroy();
    const opts = { keepAlive: !req.long, maxSockets: req.long ? Infinity : MAX_HTTP1_SOCKETS };
    const agent = req.url.protocol === 'http:' ? new http.Agent(opts) : new https.Agent({ ...opts, ...req.tls });
    this[slot] = { agent, tls: req.tls };
    return agent;
  }
}

const idleError = (req: WireRequest): Error => (req.long
  ? Object.assign(new Error(`the watch was silent for ${req.idleTimeoutMs} ms`), { name: 'TimeoutError' })
  : Object.assign(new Error(`no answer within ${req.idleTimeoutMs} ms`), { code: 'ETIMEDOUT' }));

const abortError = (signal: AbortSignal | undefined): Error =>
  (signal?.reason instanceof Error ? signal.reason : Object.assign(new Error('the call was aborted'), { name: 'AbortError' }));
