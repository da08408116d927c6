import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { ClientNodeKubeAdapter } from './client-node.adapter';
import { ClusterRegistry } from './cluster.registry';
import type { KubeObject } from './kube.port';
import { MAX_HTTP1_SOCKETS } from './kube.connection';
import { KubeTransport } from './kube.transport';
import { eventually, requireTestenv, type Testenv } from './testing/kube-testenv';

jest.setTimeout(60_000);

// Every TCP connection this process opens to `port` while counting, counted as it is made (not
// sampled): Node publishes each new client socket on the `net.client.socket` diagnostics channel.
function countConnections(port: number): { count: () => number; stop: () => void } {
  let opened = 0;
  const onSocket = (msg: unknown): void => {
    const socket = (msg as { socket: Socket }).socket;
    socket.once('connect', () => { if (socket.remotePort === port) opened++; });
  };
  subscribe('net.client.socket', onSocket);
  return { count: () => opened, stop: () => unsubscribe('net.client.socket', onSocket) };
}

let env: Testenv;
beforeAll(async () => {
  env = await requireTestenv();
});

const AS = { user: 'admin', groups: ['system:masters', 'system:authenticated'] };

describe('one cluster, one connection', () => {
  it('40 concurrent requests and two informers\' watches open one HTTP/2 connection to the apiserver (≤ 4)', async () => {
    const port = Number(new URL(env.apiserver).port);
    const counter = countConnections(port);
    const registry = new ClusterRegistry({ kubeconfigPath: env.kubeconfig });
    try {
      const kube = registry.get() as ClientNodeKubeAdapter;
      const deployments = kube.informer<KubeObject>({ apiVersion: 'apps/v1', kind: 'Deployment' });
      const replicaSets = kube.informer<KubeObject>({ apiVersion: 'apps/v1', kind: 'ReplicaSet' });
      await Promise.all([deployments.start(), replicaSets.start()]);
      await eventually(async () => deployments.health().watching && replicaSets.health().watching, 'both watches open');
      const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2
        ? kube.get({ apiVersion: 'v1', kind: 'Namespace', name: 'default' }, { as: AS })
        : kube.list({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'kube-system' }, { as: AS }))));
      expect(answers.filter(Boolean)).toHaveLength(40);
      expect(kube.wire()).toEqual({ protocol: 'h2', connections: 1 });
      expect(counter.count()).toBe(1);
      expect(counter.count()).toBeLessThanOrEqual(4);
      expect(deployments.health()).toMatchObject({ synced: true, watching: true, restarts: 0 });
    } finally {
      counter.stop();
      registry.close();
    }
  });
});

describe('an apiserver that speaks only HTTP/1.1', () => {
  it(`keeps requests to ${MAX_HTTP1_SOCKETS} keep-alive sockets; a watch has its own`, async () => {
    // The test control plane's serving certificate (127.0.0.1), on a server without ALPN h2.
    const pki = dirname(String(env.caCert));
    let inFlight = 0;
    let mostInFlight = 0;
    const server = https.createServer({ cert: readFileSync(join(pki, 'apiserver.crt')), key: readFileSync(join(pki, 'apiserver.key')) }, (req, res) => {
      if (req.url?.includes('watch=true')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(`${JSON.stringify({ type: 'ADDED', object: { kind: 'ConfigMap', metadata: { name: 'x', resourceVersion: '7' } } })}\n`);
        return; // held open, as a watch is
      }
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      setTimeout(() => { inFlight--; res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'); }, 20);
    });
    let accepted = 0;
    server.on('secureConnection', () => accepted++);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const kc = new KubeConfig();
    kc.loadFromString(JSON.stringify({
      clusters: [{ name: 'c', cluster: { server: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, 'certificate-authority-data': readFileSync(String(env.caCert)).toString('base64') } }],
      users: [{ name: 'u', user: { token: 't' } }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'x',
    }));
    const transport = new KubeTransport(kc);
    try {
      const answers = await Promise.all(Array.from({ length: 40 }, () => transport.request({ method: 'GET', path: '/api/v1/namespaces/default' })));
      expect(answers).toEqual(Array.from({ length: 40 }, () => ({ ok: true })));
      expect(transport.wire().protocol).toBe('http/1.1');
      expect(mostInFlight).toBe(MAX_HTTP1_SOCKETS);
      const events: string[] = [];
      const watch = await transport.watch('/api/v1/configmaps', { resourceVersion: '1' }, 10_000, { onEvent: (type) => events.push(type), onDone: () => undefined });
      await eventually(async () => events.includes('ADDED'), 'the watch event');
      // One connection made to learn that the server has no HTTP/2, the pool, the watch's own.
      expect(accepted).toBeLessThanOrEqual(1 + MAX_HTTP1_SOCKETS + 1);
      expect(transport.wire().connections).toBe(MAX_HTTP1_SOCKETS + 1);
      watch.abort();
    } finally {
      transport.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
