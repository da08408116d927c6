import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeError } from './kube.errors';
import { KubeTransport } from './kube.transport';

// Wire-level checks only (headers, status mapping, connection failures) against a bare
// HTTP listener; what Kubernetes does with the requests is covered by *.int.ts.
interface Seen {
  method?: string;
  url?: string;
  rawHeaders: string[];
  body: string;
}

function kubeConfigFor(server: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(JSON.stringify({
    clusters: [{ name: 'c', cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'u', user: { token: 'bosun-token' } }],
    contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
    'current-context': 'x',
  }));
  return kc;
}

function headerValues(seen: Seen, name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < seen.rawHeaders.length; i += 2) {
    if (seen.rawHeaders[i].toLowerCase() === name.toLowerCase()) out.push(seen.rawHeaders[i + 1]);
  }
  return out;
}

describe('KubeTransport', () => {
  let server: http.Server;
  let base: string;
  let seen: Seen;
  let reply: (res: http.ServerResponse) => void;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen = { method: req.method, url: req.url, rawHeaders: req.rawHeaders, body };
        reply(res);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections(); // keep-alive sockets would hold close() for seconds
    return new Promise((r) => server.close(r));
  });

  const json = (status: number, body: unknown) => (res: http.ServerResponse) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  it('sends credentials, query, body and one Impersonate-Group line per group', async () => {
    reply = json(200, { kind: 'ConfigMap' });
    const transport = new KubeTransport(kubeConfigFor(base));
    const out = await transport.request({
      method: 'PATCH',
      path: '/api/v1/namespaces/a/configmaps/x',
      query: { fieldManager: 'bosun', force: true, skipped: undefined },
      body: { data: { k: 'v' } },
      contentType: 'application/apply-patch+yaml',
      as: { user: 'alice@example.com', groups: ['team-a', 'oncall'] },
    });
    expect(out).toEqual({ kind: 'ConfigMap' });
    expect(seen.method).toBe('PATCH');
    expect(seen.url).toBe('/api/v1/namespaces/a/configmaps/x?fieldManager=bosun&force=true');
    expect(JSON.parse(seen.body)).toEqual({ data: { k: 'v' } });
    expect(headerValues(seen, 'authorization')).toEqual(['Bearer bosun-token']);
    expect(headerValues(seen, 'content-type')).toEqual(['application/apply-patch+yaml']);
    expect(headerValues(seen, 'impersonate-user')).toEqual(['alice@example.com']);
    expect(headerValues(seen, 'impersonate-group')).toEqual(['team-a', 'oncall']);
  });

  it('sends no impersonation headers without an identity', async () => {
    reply = json(200, {});
    await new KubeTransport(kubeConfigFor(base)).request({ method: 'GET', path: '/version' });
    expect(headerValues(seen, 'impersonate-user')).toEqual([]);
    expect(headerValues(seen, 'impersonate-group')).toEqual([]);
  });

  it('refuses identities that would split a header', async () => {
    const transport = new KubeTransport(kubeConfigFor(base));
    await expect(transport.request({ method: 'GET', path: '/version', as: { user: 'a\r\nX: y' } }))
      .rejects.toMatchObject({ reason: 'BadRequest' });
  });

  it('turns a Status answer into a KubeError with the apiserver message', async () => {
    const message = 'configmaps "x" is forbidden: User "bob" cannot get resource "configmaps" in API group "" in the namespace "a"';
    reply = json(403, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', message, code: 403 });
    const err = await new KubeTransport(kubeConfigFor(base)).request({ method: 'GET', path: '/x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeError);
    expect(err).toMatchObject({ status: 403, reason: 'Forbidden', message });
  });

  it('reports a closed port as Unreachable', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const err = await new KubeTransport(kubeConfigFor(`http://127.0.0.1:${port}`)).request({ method: 'GET', path: '/version' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 0, reason: 'Unreachable' });
    expect((err as Error).message).toContain('ECONNREFUSED');
  });

  it('a watch hands on one event per line, on the same pool as requests, and ends when the server ends it', async () => {
    reply = (res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n{"type":"MODIFIED","obj');
      setTimeout(() => res.end('ect":{"metadata":{"name":"a"}}}\nnot json\n{"type":"BOOKMARK","object":{}}\n'), 20);
    };
    const events: string[] = [];
    const done = await new Promise<unknown>((resolve) => {
      void new KubeTransport(kubeConfigFor(base)).watch('/api/v1/configmaps', { resourceVersion: '5' }, 5000, {
        onEvent: (type, obj) => events.push(`${type} ${(obj as { metadata?: { name?: string } }).metadata?.name ?? ''}`), onDone: resolve,
      });
    });
    expect(done).toBeUndefined();
    expect(seen.url).toBe('/api/v1/configmaps?resourceVersion=5&watch=true');
    expect(headerValues(seen, 'authorization')).toEqual(['Bearer bosun-token']);
    expect(events).toEqual(['ADDED a', 'MODIFIED a', 'BOOKMARK ']);
  });

  it('a refused watch ends with the apiserver\'s error and its status code; a silent one with a TimeoutError', async () => {
    reply = json(410, { kind: 'Status', reason: 'Expired', message: 'too old resource version: 5 (9)', code: 410 });
    const transport = new KubeTransport(kubeConfigFor(base));
    const ended = (inactivityMs: number): Promise<unknown> => new Promise((resolve) => {
      void transport.watch('/api/v1/configmaps', { resourceVersion: '5' }, inactivityMs, { onEvent: () => undefined, onDone: resolve });
    });
    expect(await ended(5000)).toMatchObject({ statusCode: 410, reason: 'Expired', message: 'too old resource version: 5 (9)' });
    reply = (res) => { res.writeHead(200); res.flushHeaders(); };
    expect(await ended(50)).toMatchObject({ name: 'TimeoutError' });
  });

  it('maps an abort and a silent server', async () => {
    reply = () => undefined; // never answers
    const transport = new KubeTransport(kubeConfigFor(base), 100);
    const controller = new AbortController();
    const pending = transport.request({ method: 'GET', path: '/slow', signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ reason: 'Aborted' });
    await expect(transport.request({ method: 'GET', path: '/slow' })).rejects.toMatchObject({ reason: 'Unreachable' });
  });
});
