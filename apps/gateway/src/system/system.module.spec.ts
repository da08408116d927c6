import { SERVICES } from '@bosun/contracts';
import { bearer, moduleUnderTest } from '../testing/module.testing';
import type { ModuleUnderTest } from '../testing/module.testing';
import { ReadinessCheck } from './readiness';
import type { Readiness } from './readiness';
import { ServiceStatusProbe } from './service-status';
import { SystemModule } from './system.module';

let readiness: Readiness = { ready: true, components: { nats: { ok: true }, redis: { ok: true } } };
const probe = {
  services: jest.fn(async () => ({ services: SERVICES.map((name) => ({ name, ready: name !== 'storage', replicas: name === 'storage' ? 0 : 1, ...(name === 'storage' ? { message: 'no storage replica answers its ping' } : {}) })), pings: new Map() })),
  clusters: jest.fn(async () => [{ name: 'default', reachable: true, version: 'v1.30.2' }]),
};
let m: ModuleUnderTest;
beforeAll(async () => {
  m = await moduleUnderTest(SystemModule, (b) => b.overrideProvider(ReadinessCheck).useValue({ check: async () => readiness }).overrideProvider(ServiceStatusProbe).useValue(probe));
});
afterAll(async () => { await m?.app.close(); });

describe('SystemModule over HTTP', () => {
  it('/healthz and /readyz need no token; /readyz is 200 while a service is down', async () => {
    expect((await m.http.get('/healthz')).body).toEqual({ status: 'ok' });
    const r = await m.http.get('/readyz');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: 'ready', components: { nats: { ok: true }, redis: { ok: true } } });
  });

  it('/readyz is 503 problem+json naming the component that is down', async () => {
    readiness = { ready: false, components: { nats: { ok: true }, redis: { ok: false, detail: 'connect ECONNREFUSED' } } };
    try {
      const r = await m.http.get('/readyz');
      expect(r.status).toBe(503);
      expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(r.body).toEqual({ type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'not ready: redis (connect ECONNREFUSED)', errors: [{ path: 'redis', message: 'connect ECONNREFUSED' }] });
    } finally {
      readiness = { ready: true, components: { nats: { ok: true }, redis: { ok: true } } };
    }
  });

  it('/readyz?services=all also waits for every service, naming those not ready', async () => {
    const r = await m.http.get('/readyz?services=all');
    expect(r.status).toBe(503);
    expect(r.body.detail).toBe('not ready: storage (no storage replica answers its ping)');
    expect(r.body.errors).toEqual([{ path: 'storage', message: 'no storage replica answers its ping' }]);
  });

  it('/v1/status: any role, exactly {nats, redis, services, clusters}', async () => {
    expect((await m.http.get('/v1/status')).status).toBe(401);
    const r = await m.http.get('/v1/status').set(bearer('viewer'));
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(['clusters', 'nats', 'redis', 'services']);
    expect(r.body.nats).toEqual({ reachable: true });
    expect(r.body.services).toHaveLength(SERVICES.length);
    expect(r.body.services.find((s: { name: string }) => s.name === 'storage')).toEqual({ name: 'storage', ready: false, replicas: 0, message: 'no storage replica answers its ping' });
    expect(r.body.clusters).toEqual([{ name: 'default', reachable: true, version: 'v1.30.2' }]);
    // The cluster list is asked as the caller (reads impersonate too).
    expect(probe.clusters).toHaveBeenLastCalledWith(expect.any(Map), { subject: 'user:viewer', groups: ['team'], via: 'api' });
  });

  it('/metrics refreshes the service gauges before answering; /openapi.json is served', async () => {
    probe.services.mockClear();
    const r = await m.http.get('/metrics');
    expect(r.status).toBe(200);
    expect(r.text).toMatch(/bosun_http_request_duration_seconds/);
    expect(probe.services).toHaveBeenCalledTimes(1);
    const spec = (await m.http.get('/openapi.json')).body;
    expect(spec.openapi).toBe('3.1.0');
    expect(spec.paths['/v1/status'].get['x-bosun-role']).toBe('viewer');
  });
});
