import { SERVICES } from '@bosun/contracts';
import { eventually, infra } from '@bosun/testing';
import { GatewayHarness } from '../testing/gateway.harness';

// Readiness is the gateway's own (NATS, Redis); what the services and clusters are doing is
// /v1/status. Real NATS and Redis; the test plays the services on NATS.
jest.setTimeout(60_000);
let h: GatewayHarness;
beforeAll(async () => { h = await GatewayHarness.start(); }, 30_000);
afterAll(async () => { await h?.close(); });

describe('gateway readiness and status (real NATS and Redis)', () => {
  it('/readyz is 200 with no service running, while /v1/status names every service not ready', async () => {
    const ready = await h.call('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', components: { nats: { ok: true }, redis: { ok: true } } });
    // For scripts that start the whole stack: the same, waiting for every service too.
    const all = await h.call('GET', '/readyz?services=all');
    expect(all.status).toBe(503);
    expect(all.body.errors.map((e: { path: string }) => e.path)).toEqual([...SERVICES]);
    const status = await h.call('GET', '/v1/status');
    expect(status.status).toBe(200);
    expect(status.body).toEqual({
      nats: { reachable: true }, redis: { reachable: true }, clusters: [],
      services: SERVICES.map((name) => ({ name, ready: false, replicas: 0, message: `no ${name} replica answers its ping` })),
    });
  });

  it('/v1/status counts replicas, names an unhealthy component, lists clusters; /metrics gauges follow', async () => {
    await h.answer('deployer', 'ping', () => GatewayHarness.ping('deployer', 'deployer-a', { nats: { ok: true }, kubernetes: { ok: false, detail: 'connection refused' } }));
    await h.answer('deployer', 'ping', () => GatewayHarness.ping('deployer', 'deployer-b'));
    await h.answer('autoscaler', 'ping', () => GatewayHarness.ping('autoscaler', 'autoscaler-a', { nats: { ok: true }, redis: { ok: false, detail: 'redis connecting' } }));
    await h.answer('deployer', 'clusters-list', () => ({ ok: true, value: [{ name: 'default', server: 'https://127.0.0.1:6443', default: true, reachable: true, version: 'v1.30.2' }, { name: 'edge', server: 'https://10.0.0.1', default: false, reachable: false }] }));
    try {
      const { body } = await h.call('GET', '/v1/status');
      const byName = Object.fromEntries(body.services.map((s: { name: string }) => [s.name, s]));
      // An unreachable cluster does not make the deployer unready: that is the cluster's row.
      expect(byName.deployer).toEqual({ name: 'deployer', ready: true, replicas: 2 });
      expect(byName.autoscaler).toEqual({ name: 'autoscaler', ready: false, replicas: 1, message: 'redis: redis connecting' });
      expect(byName.storage).toMatchObject({ ready: false, replicas: 0 });
      expect(body.clusters).toEqual([{ name: 'default', reachable: true, version: 'v1.30.2' }, { name: 'edge', reachable: false }]);
      const metrics = await (await fetch(`${h.url}/metrics`)).text();
      expect(metrics).toMatch(/^bosun_service_up\{service="deployer"\} 1$/m);
      expect(metrics).toMatch(/^bosun_service_replicas\{service="deployer"\} 2$/m);
      expect(metrics).toMatch(/^bosun_service_up\{service="autoscaler"\} 0$/m);
      expect(metrics).toMatch(/^bosun_service_up\{service="storage"\} 0$/m);
    } finally {
      h.stopAnswering();
    }
  });

  it('without the deployer, the default cluster is reported from the services\' kubernetes health', async () => {
    await h.answer('storage', 'ping', () => GatewayHarness.ping('storage', 'storage-a', { nats: { ok: true }, kubernetes: { ok: true } }));
    try {
      expect((await h.call('GET', '/v1/status')).body.clusters).toEqual([{ name: 'default', reachable: true }]);
    } finally {
      h.stopAnswering();
    }
  });

  it('/readyz is 503 naming Redis while it is stopped (and /v1/status says so), 200 again after', async () => {
    infra('stop-redis');
    try {
      const down = await eventually(async () => {
        const r = await h.call('GET', '/readyz');
        return r.status === 503 ? r.body : undefined;
      }, 'readyz 503', 15_000, 100);
      expect(down).toMatchObject({ status: 503, detail: expect.stringMatching(/^not ready: redis/), errors: [{ path: 'redis', message: expect.any(String) }] });
      expect((await h.call('GET', '/v1/status')).body).toMatchObject({ nats: { reachable: true }, redis: { reachable: false, message: expect.any(String) } });
    } finally {
      infra('start-redis');
    }
    await eventually(async () => ((await h.call('GET', '/readyz')).status === 200 ? true : undefined), 'readyz 200 again', 30_000, 100);
  }, 60_000);

  it('/v1/status needs a token', async () => {
    expect((await h.call('GET', '/v1/status', undefined, { authorization: '' })).status).toBe(401);
  });
});
