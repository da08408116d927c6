import { connectNats, JetStreamPublisher, OperationReporter } from '@bosun/messaging';
import type { NatsConnection } from '@bosun/messaging';
import { createLogger } from '@bosun/logging';
import { eventually, infra, testInfra, testNatsAuth, uniqueName } from '@bosun/testing';
import { api, startStack } from '../support/stack';
import type { Stack } from '../support/stack';

jest.setTimeout(60_000);
const deployBody = (name = uniqueName('web')) => ({ namespace: 'e2e-gw', name, image: 'nginx:1.27' });

describe('gateway end to end (real processes, NATS, Redis, Kubernetes)', () => {
  let stack: Stack;
  let call: ReturnType<typeof api>;
  let nc: NatsConnection;

  beforeAll(async () => {
    // Every service runs, so readiness is real; the deployer is held back for the SSE case below.
    stack = await startStack(['gateway', 'provisioner', 'autoscaler', 'storage', 'dns-inspector']);
    call = api(stack);
    nc = await connectNats(testInfra().natsUrl, 'gateway-e2e', createLogger('e2e', 'silent'), testNatsAuth('deployer'));
  });
  afterAll(async () => {
    await nc?.drain();
    await stack?.stop();
  });

  describe('authentication and roles', () => {
    it('401 without a token or with an unknown one, as problem+json', async () => {
      for (const token of ['', 'bsn_nope']) {
        const r = await api(stack, token)('GET', '/v1/whoami');
        expect(r.status).toBe(401);
        expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
        expect(r.body).toMatchObject({ status: 401, title: 'Unauthorized' });
      }
    });

    it('whoami of the bootstrap admin', async () => {
      expect((await call('GET', '/v1/whoami')).body).toEqual({ subject: 'user:admin', groups: ['system:masters'], roles: ['admin'] });
    });

    it('token lifecycle: created once, listed without secret, usable, role-limited, revoked', async () => {
      const created = await call('POST', '/v1/tokens', { name: 'ci', subject: 'user:alice', groups: ['dev'], roles: ['viewer'], ttlSeconds: 3600 });
      expect(created.status).toBe(201);
      expect(created.body.token).toMatch(/^bsn_/);
      expect(Date.parse(created.body.expiresAt)).toBeGreaterThan(Date.now());
      const list = await call('GET', '/v1/tokens');
      const entry = list.body.items.find((t: { id: string }) => t.id === created.body.id);
      expect(entry).toMatchObject({ name: 'ci', subject: 'user:alice', roles: ['viewer'] });
      expect(JSON.stringify(list.body)).not.toContain(created.body.token);
      const alice = api(stack, created.body.token);
      expect((await alice('GET', '/v1/whoami')).body).toEqual({ subject: 'user:alice', groups: ['dev'], roles: ['viewer'] });
      const refused = await alice('POST', '/v1/deployments', deployBody());
      expect(refused.status).toBe(403);
      expect(refused.body.detail).toMatch(/user:alice needs the operator role/);
      expect((await alice('GET', '/v1/tokens')).status).toBe(403);
      expect((await call('DELETE', `/v1/tokens/${created.body.id}`)).status).toBe(204);
      expect((await alice('GET', '/v1/whoami')).status).toBe(401);
      expect((await call('DELETE', `/v1/tokens/${created.body.id}`)).status).toBe(404);
    });

    it('token creation names each bad field', async () => {
      const r = await call('POST', '/v1/tokens', { name: '', subject: 'alice', roles: ['root'] });
      expect(r.status).toBe(422);
      const paths = r.body.errors.map((e: { path: string }) => e.path).sort();
      expect(paths).toEqual(['name', 'roles.0', 'subject']);
    });
  });

  describe('input errors are 4xx problem+json, never 500', () => {
    it('malformed JSON → 400', async () => {
      const r = await call('POST', '/v1/deployments', '{"namespace": ');
      expect(r.status).toBe(400);
      expect(r.body.detail).toMatch(/malformed JSON/);
    });
    it('oversize body → 413', async () => {
      const r = await call('POST', '/v1/deployments', { ...deployBody(), env: { BIG: 'x'.repeat(300 * 1024) } });
      expect(r.status).toBe(413);
      expect(r.headers.get('content-type')).toMatch(/problem\+json/);
    });
    it('a non-object body → 400; invalid fields → 422 naming each', async () => {
      expect((await call('POST', '/v1/deployments', '[1,2]')).status).toBe(400);
      const r = await call('POST', '/v1/deployments', { namespace: 'Team_A', name: 'web', image: '', replicas: -2, strategy: { type: 'Recreate', maxSurge: 1 }, bogus: 1 });
      expect(r.status).toBe(422);
      const paths = r.body.errors.map((e: { path: string }) => e.path);
      expect(paths).toEqual(expect.arrayContaining(['namespace', 'image', 'replicas', 'strategy.maxSurge', '(body)']));
    });
    it('unknown routes and operations → 404', async () => {
      expect((await call('GET', '/v1/nothing-here')).status).toBe(404);
      expect((await call('GET', '/v1/operations/op_missing')).status).toBe(404);
    });
  });

  describe('operations', () => {
    it('202 + Location; same Idempotency-Key and body → same operation; other body → 409', async () => {
      const body = deployBody();
      const key = uniqueName('key');
      const first = await call('POST', '/v1/deployments', body, { 'idempotency-key': key });
      expect(first.status).toBe(202);
      expect(first.headers.get('location')).toBe(`/v1/operations/${first.body.id}`);
      expect(first.body).toMatchObject({ kind: 'deployment.deploy', status: 'queued', actor: { subject: 'user:admin', via: 'api' }, target: { cluster: 'default', namespace: 'e2e-gw', kind: 'Deployment', name: body.name } });
      const again = await call('POST', '/v1/deployments', { image: body.image, name: body.name, namespace: body.namespace }, { 'idempotency-key': key });
      expect(again.status).toBe(202);
      expect(again.body.id).toBe(first.body.id);
      const other = await call('POST', '/v1/deployments', { ...body, replicas: 3 }, { 'idempotency-key': key });
      expect(other.status).toBe(409);
      const got = await call('GET', `/v1/operations/${first.body.id}`);
      expect(got.body.id).toBe(first.body.id);
      const listed = await call('GET', '/v1/operations?kind=deployment.deploy&limit=500');
      expect(listed.body.items.filter((o: { id: string }) => o.id === first.body.id)).toHaveLength(1);
      await call('POST', `/v1/operations/${first.body.id}/cancel`);
    });

    it('streams every change as SSE and ends after the terminal state', async () => {
      const created = await call('POST', '/v1/deployments', deployBody());
      const id = created.body.id as string;
      const res = await fetch(`${stack.url}/v1/operations/${id}/events`, { headers: { authorization: `Bearer ${stack.adminToken}` } });
      expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
      // Act as the owning service: lifecycle events on JetStream, folded by the gateway.
      const reporter = new OperationReporter(new JetStreamPublisher(nc), 'deployer');
      // Each step waits for the previous one to be folded: events of one operation may be
      // folded by different gateway replicas, and a progress arriving after the end is dropped.
      const folded = (check: (op: any) => boolean) => eventually(async () => (check((await call('GET', `/v1/operations/${id}`)).body) ? true : undefined), 'event folded');
      setTimeout(() => void (async () => {
        await reporter.started(id);
        await folded((op) => op.status === 'running');
        await reporter.progressed(id, { current: 1, total: 2, message: '1 of 2 replicas updated' });
        await folded((op) => op.progress?.current === 1);
        await reporter.succeeded(id, { revision: 1 });
      })(), 300);
      const text = await res.text(); // resolves only when the server ends the stream
      const events = text.split('\n\n').filter((b) => b.includes('data: ')).map((b) => JSON.parse(b.split('data: ')[1]));
      expect(events[0].status).toBe('queued');
      expect(events.map((e) => e.status)).toContain('running');
      expect(events.find((e) => e.progress)?.progress).toEqual({ current: 1, total: 2, message: '1 of 2 replicas updated' });
      expect(events.at(-1)).toMatchObject({ id, status: 'succeeded', result: { revision: 1 } });
      // A late duplicate never reopens a terminal operation.
      await reporter.failed(id, { code: 'Late', message: 'too late' });
      await new Promise((r) => setTimeout(r, 300));
      expect((await call('GET', `/v1/operations/${id}`)).body.status).toBe('succeeded');
    });

    it('cancel: a queued operation ends cancelled; cancelling again is 409', async () => {
      const created = await call('POST', '/v1/deployments', deployBody());
      const c = await call('POST', `/v1/operations/${created.body.id}/cancel`);
      expect(c.status).toBe(200);
      expect(c.body).toMatchObject({ status: 'cancelled', error: { code: 'Cancelled' } });
      expect((await call('POST', `/v1/operations/${created.body.id}/cancel`)).status).toBe(409);
    });

    it('approval rules: matching operations wait; the requester may not approve; an approver can', async () => {
      expect((await call('PUT', '/v1/policies/approvals', { rules: [{ namespaces: ['e2e-prod-*'], actions: ['deployment.*'], approvals: 1 }] })).status).toBe(200);
      const op = await call('POST', '/v1/deployments', { ...deployBody(), namespace: 'e2e-prod-1' });
      expect(op.body.status).toBe('awaiting_approval');
      expect((await call('POST', `/v1/operations/${op.body.id}/approve`, {})).status).toBe(403);
      const bob = await call('POST', '/v1/tokens', { name: 'bob', subject: 'user:bob', roles: ['approver'] });
      const ops = await call('POST', '/v1/tokens', { name: 'olga', subject: 'user:olga', roles: ['operator'] });
      expect((await api(stack, ops.body.token)('POST', `/v1/operations/${op.body.id}/approve`, {})).status).toBe(403);
      const approved = await api(stack, bob.body.token)('POST', `/v1/operations/${op.body.id}/approve`, {});
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({ status: 'queued', approvals: [{ subject: 'user:bob', decision: 'approve' }] });
      const op2 = await call('POST', '/v1/deployments', { ...deployBody(), namespace: 'e2e-prod-2' });
      const rejected = await api(stack, bob.body.token)('POST', `/v1/operations/${op2.body.id}/reject`, { reason: 'not today' });
      expect(rejected.body).toMatchObject({ status: 'rejected', error: { code: 'Rejected', message: 'rejected by user:bob: not today' } });
      await call('PUT', '/v1/policies/approvals', { rules: [] });
    });
  });

  describe('audit', () => {
    it('records accepted and refused mutating requests with subject, action and outcome', async () => {
      const since = new Date(Date.now() - 1000).toISOString();
      await api(stack, 'bsn_wrong')('POST', '/v1/deployments', deployBody());
      await call('POST', '/v1/deployments', '{oops');
      const ok = await call('POST', '/v1/deployments', deployBody());
      await call('POST', `/v1/operations/${ok.body.id}/cancel`);
      const audit = await eventually(async () => {
        const r = await call('GET', `/v1/audit?since=${encodeURIComponent(since)}&limit=50`);
        return r.body.items.length >= 4 ? r.body.items : undefined;
      }, 'audit entries');
      const deploys = audit.filter((e: { action: string }) => e.action === 'deployment.deploy');
      expect(deploys).toEqual(expect.arrayContaining([
        expect.objectContaining({ subject: 'anonymous', outcome: 'refused', status: 401 }),
        expect.objectContaining({ subject: 'user:admin', outcome: 'refused', status: 400 }),
        expect.objectContaining({ subject: 'user:admin', outcome: 'accepted', status: 202, operationId: ok.body.id, via: 'api' }),
      ]));
      expect(audit).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'operation.cancel', outcome: 'accepted' })]));
      const bySubject = await call('GET', `/v1/audit?subject=anonymous&since=${encodeURIComponent(since)}`);
      expect(bySubject.body.items.every((e: { subject: string }) => e.subject === 'anonymous')).toBe(true);
      expect((await call('GET', '/v1/audit?since=yesterday')).status).toBe(422);
    });
  });

  describe('operability', () => {
    it('serves /metrics, /openapi.json and /docs', async () => {
      const metrics = await (await fetch(`${stack.url}/metrics`)).text();
      expect(metrics).toMatch(/bosun_http_request_duration_seconds_bucket/);
      expect(metrics).toMatch(/bosun_operations_total\{kind="deployment.deploy",status="queued"\}/);
      const spec = (await (await fetch(`${stack.url}/openapi.json`)).json()) as any;
      expect(spec.openapi).toBe('3.1.0');
      expect(spec.paths['/v1/deployments'].post.requestBody.content['application/json'].schema.properties.image).toBeDefined();
      expect((await fetch(`${stack.url}/docs`)).status).toBe(200);
      expect((await fetch(`${stack.url}/docs/assets/swagger-ui-bundle.js`)).status).toBe(200);
    });

    it('/readyz is 200 while a service is stopped (/v1/status names it), 503 naming Redis when it stops, 200 again after', async () => {
      // The deployer is still held back: readiness is the gateway's own, the services' state is /v1/status.
      const ready = await eventually(async () => ((await fetch(`${stack.url}/readyz`)).status === 200 ? true : undefined), 'readyz 200', 30_000, 250)
        .catch(async (e) => { throw new Error(`${e.message}: ${await (await fetch(`${stack.url}/readyz`)).text()}`); });
      expect(ready).toBe(true);
      const deployerOf = async () => (await call('GET', '/v1/status')).body.services.find((s: { name: string }) => s.name === 'deployer');
      expect(await deployerOf()).toMatchObject({ ready: false, replicas: 0 });
      await stack.start('deployer');
      await eventually(async () => ((await deployerOf())?.ready ? true : undefined), 'deployer ready in /v1/status', 30_000, 250);
      expect((await call('GET', '/v1/status')).body).toMatchObject({ nats: { reachable: true }, redis: { reachable: true }, clusters: expect.arrayContaining([expect.objectContaining({ name: 'default', reachable: true })]) }); // other tests may have added clusters to the shared Redis
      infra('stop-redis');
      try {
        const down = await eventually(async () => {
          const r = await fetch(`${stack.url}/readyz`);
          return r.status === 503 ? ((await r.json()) as { detail: string }) : undefined;
        }, 'readyz 503', 15_000, 250);
        expect(down.detail).toMatch(/redis/);
      } finally {
        infra('start-redis');
      }
      await eventually(async () => ((await fetch(`${stack.url}/readyz`)).status === 200 ? true : undefined), 'readyz 200 again', 30_000, 250);
    });
  });
});
