import { AUTOSCALER_MANAGED_BY_ANNOTATION, AUTOSCALER_QUERIES } from '@bosun/contracts';
import type { AutoscalerCreateRequest, AutoscalerListResponse, SimulationResponse } from '@bosun/contracts';
import { nativeHpaManifest, validateAutoscalerRequest } from '@bosun/autoscaler-domain';
import { eventually } from '@bosun/testing';
import { AutoscalerHarness } from '../testing/autoscaler.harness';
import type { Json } from '../testing/autoscaler.harness';

// Autoscalers as the gateway manages them: create (201 with the view), get, list, decisions,
// simulate and delete; the hand-off annotation; native mode; RBAC of the creating subject.
let h: AutoscalerHarness;
let ns: string;
let load = 30;

beforeAll(async () => {
  h = await AutoscalerHarness.create();
  await h.start();
  ns = await h.namespace('as-crud');
}, 60_000);
afterAll(async () => h?.close(), 60_000);

const annotation = async (name: string): Promise<string | undefined> => (await h.get(ns, name))?.metadata.annotations?.[AUTOSCALER_MANAGED_BY_ANNOTATION];

describe('autoscaler: managed autoscalers (real NATS, Redis and Kubernetes)', () => {
  let id: string;
  let url: string;

  it('create answers the autoscaler, marks the target, and the loop scales on an External metric', async () => {
    url = await h.endpoint(() => ({ value: load }));
    await h.deployment(ns, 'api', { replicas: 1 });
    const view = await h.createAutoscaler({
      target: { kind: 'Deployment', namespace: ns, name: 'api' }, minReplicas: 1, maxReplicas: 6, intervalSeconds: 1,
      metrics: [{ name: 'rps', type: 'External', url, target: { type: 'AverageValue', value: 10 } }],
      behavior: { scaleDown: { stabilizationWindowSeconds: 2 } },
    });
    id = view.id;
    expect(view).toMatchObject({
      id: expect.stringMatching(/^as-[a-z0-9]{10}$/), cluster: 'default', createdBy: 'user:admin', intervalSeconds: 1, mode: 'managed',
      target: { kind: 'Deployment', namespace: ns, name: 'api' }, minReplicas: 1, maxReplicas: 6, currentReplicas: 1, metrics: [{ name: 'rps' }],
    });
    expect(await annotation('api')).toBe(id);
    await h.waitReplicas(ns, 'api', 3);
    expect(await h.until(id, 'at 3', (v) => v.currentReplicas === 3)).toMatchObject({ desiredReplicas: 3, metrics: [{ name: 'rps', current: '30' }] });
  }, 60_000);

  it('scales down only after the stabilization window', async () => {
    load = 10;
    const t0 = Date.now();
    await h.waitReplicas(ns, 'api', 1, 20_000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1500);
    const limited = (await h.decisions(id)).find((d) => d.limitedBy === 'stabilization');
    expect(limited).toMatchObject({ currentReplicas: 3, desiredReplicas: 3, recommendation: 1 });
  }, 40_000);

  it('lists it, and decisions come newest first with their inputs', async () => {
    const list = await h.ask<AutoscalerListResponse>(AUTOSCALER_QUERIES.list, { namespace: ns });
    expect(list.items.map((v) => v.id)).toContain(id);
    const items = await eventually(async () => {
      const got = await h.decisions(id, 5);
      return got.length === 5 && got[0].currentReplicas === 1 ? got : undefined;
    }, 'five decisions, the newest at 1 replica', 10_000);
    const times = items.map((d) => Date.parse(d.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(items[0]).toMatchObject({ currentReplicas: 1, desiredReplicas: 1, perMetric: [{ name: 'rps', current: '10', proposal: 1 }], explanation: expect.any(String) });
    expect(await h.query(AUTOSCALER_QUERIES.decisions, { id, limit: 0 })).toMatchObject({ ok: false, error: { code: 'Invalid', fieldErrors: [{ path: 'limit' }] } });
  });

  it('simulate replays the recorded decisions with another configuration', async () => {
    const sim = await h.ask<SimulationResponse>(AUTOSCALER_QUERIES.simulate, { id, maxReplicas: 2 });
    expect(sim.items.length).toBeGreaterThan(3);
    expect(sim.items.some((i) => i.actual === 3)).toBe(true);
    expect(Math.max(...sim.items.map((i) => i.simulated))).toBe(2);
    const same = await h.ask<SimulationResponse>(AUTOSCALER_QUERIES.simulate, { id });
    expect(same.items.every((i) => i.actual === i.simulated)).toBe(true);
    expect(await h.query(AUTOSCALER_QUERIES.simulate, { id, minReplicas: 3, maxReplicas: 2 })).toMatchObject({ ok: false, error: { code: 'Invalid', fieldErrors: [{ path: 'minReplicas' }] } });
  });

  it('a second autoscaler on the same target is a Conflict', async () => {
    const again = await h.createReply({ target: { kind: 'Deployment', namespace: ns, name: 'api' }, maxReplicas: 3, metrics: [{ name: 'rps', type: 'External', url, target: { type: 'Value', value: 1 } }] });
    expect(again).toMatchObject({ ok: false, error: { code: 'Conflict', message: expect.stringContaining(`already managed by autoscaler ${id}`) } });
  });

  it('delete keeps the replica count, removes the annotation and stops the loop', async () => {
    load = 50;
    expect(await h.ask(AUTOSCALER_QUERIES.delete, { id })).toEqual({ id, deleted: true });
    expect(await annotation('api')).toBeUndefined();
    expect(await h.query(AUTOSCALER_QUERIES.get, { id })).toMatchObject({ ok: false, error: { code: 'NotFound' } });
    await new Promise((r) => setTimeout(r, 2500));
    expect(await h.replicas(ns, 'api')).toBe(1);
  }, 20_000);

  it('a subject without RBAC to scale the target: Forbidden in the condition and in the decision, the count unchanged', async () => {
    await h.deployment(ns, 'locked', { replicas: 1 });
    const viewer = await h.viewer(ns, 'viewer-only');
    const big = await h.endpoint(() => 100);
    const view = await h.createAutoscaler({
      target: { kind: 'Deployment', namespace: ns, name: 'locked' }, maxReplicas: 4, intervalSeconds: 1,
      metrics: [{ name: 'load', type: 'External', url: big, target: { type: 'AverageValue', value: 10 } }],
    }, viewer);
    expect(view.createdBy).toBe('user:viewer-only');
    const failed = await h.until(view.id, 'AbleToScale=False', (v) => v.conditions.some((c) => c.type === 'AbleToScale' && c.status === 'False'));
    expect(failed.conditions.find((c) => c.type === 'AbleToScale')).toMatchObject({ reason: 'FailedUpdateScale', message: expect.stringMatching(/Forbidden.*viewer-only/) });
    const decision = (await h.decisions(view.id, 1))[0];
    expect(decision).toMatchObject({ currentReplicas: 1, desiredReplicas: 4, scaleError: { code: 'Forbidden' }, explanation: expect.stringContaining('not applied: Forbidden') });
    expect(await h.replicas(ns, 'locked')).toBe(1);
    // Without even read access the create itself is refused, as that subject.
    const stranger = await h.createReply({ target: { kind: 'Deployment', namespace: ns, name: 'api' }, maxReplicas: 3, metrics: [{ name: 'x', type: 'External', url: big, target: { type: 'Value', value: 1 } }] }, { subject: 'user:stranger', groups: [], via: 'api' });
    expect(stranger).toMatchObject({ ok: false, error: { code: 'Forbidden' } });
  }, 40_000);
});

describe('autoscaler: native mode', () => {
  it('server-side applies an autoscaling/v2 HPA with the same spec, marks the target, and deletes both with the autoscaler', async () => {
    await h.deployment(ns, 'native', { replicas: 2 });
    const body = {
      target: { kind: 'Deployment', namespace: ns, name: 'native' }, minReplicas: 2, maxReplicas: 7, mode: 'native',
      metrics: [{ name: 'cpu', type: 'Resource', resource: 'cpu', target: { type: 'Utilization', value: 60 } }, { name: 'mem', type: 'Resource', resource: 'memory', target: { type: 'AverageValue', value: '200Mi' } }],
      behavior: { scaleDown: { stabilizationWindowSeconds: 60, policies: [{ type: 'Pods', value: 1, periodSeconds: 30 }] } },
    };
    const view = await h.createAutoscaler(body);
    expect(view).toMatchObject({ mode: 'native', minReplicas: 2, maxReplicas: 7 });
    const ref = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', namespace: ns, name: view.id };
    const hpa = await h.admin.get<Json>(ref);
    const request = validateAutoscalerRequest(body);
    const expected = nativeHpaManifest((request as { value: AutoscalerCreateRequest }).value, view.id);
    expect(hpa?.spec).toMatchObject(expected.spec as unknown as Record<string, unknown>);
    expect(hpa?.spec.metrics).toEqual(expected.spec?.metrics);
    expect(hpa?.metadata.managedFields.map((m: { manager: string; operation: string }) => `${m.manager}/${m.operation}`)).toContain('bosun/Apply');
    expect(await annotation('native')).toBe(view.id);
    expect((await h.view(view.id)).mode).toBe('native');
    await h.ask(AUTOSCALER_QUERIES.delete, { id: view.id });
    await eventually(async () => ((await h.admin.get(ref)) ? undefined : true), 'HPA deleted');
    expect(await annotation('native')).toBeUndefined();
    expect(await h.replicas(ns, 'native')).toBe(2);
  }, 40_000);
});
