import { AUTOSCALER_QUERIES } from '@bosun/contracts';
import type { ProportionalResponse, RecommendationResponse } from '@bosun/contracts';
import { AutoscalerHarness } from '../testing/autoscaler.harness';

// The pure calculators over NATS request/reply, as the gateway asks them, and the refusals of
// bad input (Invalid naming the field) for them and for a create.
let h: AutoscalerHarness;
let ns: string;
beforeAll(async () => {
  h = await AutoscalerHarness.create();
  await h.start();
  ns = await h.namespace('as-queries');
  await h.deployment(ns, 'web');
}, 60_000);
afterAll(async () => h?.close(), 60_000);

const cpu = (target: unknown = { type: 'Utilization', value: 50 }): Record<string, unknown> => ({ name: 'cpu', type: 'Resource', resource: 'cpu', target });
const create = (over: Record<string, unknown>): Record<string, unknown> => ({ target: { kind: 'Deployment', namespace: ns, name: 'web' }, maxReplicas: 5, metrics: [cpu()], ...over });

describe('autoscaler: pure queries (real NATS)', () => {
  it('recommendation: 1 replica at 305 % of a 50 % target proposes 7, the legacy scale-up limit max(2 × 1, 4) sets 4', async () => {
    const r = await h.ask<RecommendationResponse>(AUTOSCALER_QUERIES.recommendation, {
      currentReplicas: 1, minReplicas: 1, maxReplicas: 10, metrics: [{ ...cpu(), pods: [{ name: 'p', value: 305 }] }],
    });
    expect(r).toMatchObject({ desiredReplicas: 4, recommendation: 7, limitedBy: 'scaleUpPolicy', perMetric: [{ name: 'cpu', proposal: 7 }], explanation: 'New size: 4; reason: cpu resource utilization (percentage of request) above target' });
    expect(r.conditions.ScalingActive).toMatchObject({ status: 'True', reason: 'ValidMetricFound' });
  });

  it('proportional: linear and ladder', async () => {
    expect(await h.ask<ProportionalResponse>(AUTOSCALER_QUERIES.proportional, { nodes: 20, cores: 100, linear: { nodesPerReplica: 16, coresPerReplica: 256 } })).toEqual({ replicas: 2 });
    expect(await h.ask<ProportionalResponse>(AUTOSCALER_QUERIES.proportional, { nodes: 3, cores: 24, ladder: { coresToReplicasMap: [[1, 1], [16, 3]], nodesToReplicasMap: [[1, 1]] } })).toEqual({ replicas: 3 });
  });

  it.each([
    ['negative replicas', AUTOSCALER_QUERIES.recommendation, { currentReplicas: -1, maxReplicas: 3, metrics: [{ ...cpu(), pods: [] }] }, 'currentReplicas', /0 or more/],
    ['min > max', AUTOSCALER_QUERIES.recommendation, { currentReplicas: 1, minReplicas: 4, maxReplicas: 3, metrics: [{ ...cpu(), pods: [] }] }, 'minReplicas', /less than or equal to maxReplicas/],
    ['malformed quantity', AUTOSCALER_QUERIES.recommendation, { currentReplicas: 1, maxReplicas: 3, metrics: [{ name: 'm', type: 'Resource', resource: 'memory', target: { type: 'AverageValue', value: '12 apples' }, pods: [] }] }, 'metrics.0.target.value', /quantity/],
    ['zero target', AUTOSCALER_QUERIES.recommendation, { currentReplicas: 1, maxReplicas: 3, metrics: [{ name: 'm', type: 'External', target: { type: 'Value', value: '0' }, value: 3 }] }, 'metrics.0.target.value', /greater than 0/],
    ['proportional without parameters', AUTOSCALER_QUERIES.proportional, { nodes: 1, cores: 1, linear: {} }, 'linear.coresPerReplica', /either coresPerReplica or nodesPerReplica/],
  ])('%s → Invalid naming the field', async (_what, query, params, path, message) => {
    const reply = await h.query(query, params);
    expect(reply).toMatchObject({ ok: false, error: { code: 'Invalid', fieldErrors: expect.arrayContaining([expect.objectContaining({ path, message: expect.stringMatching(message) })]) } });
  });
});

describe('autoscaler: create refuses bad input naming the field', () => {
  it.each([
    ['negative replicas', { maxReplicas: -2 }, 'maxReplicas', /0 or more/],
    ['min > max', { minReplicas: 6 }, 'minReplicas', /less than or equal to maxReplicas \(5\)/],
    ['unknown metric type', { metrics: [{ name: 'x', type: 'Pods', target: { type: 'AverageValue', value: 1 } }] }, 'metrics.0.type', /Resource, Queue or External/],
    ['wrong target type', { metrics: [cpu({ type: 'Value', value: 50 })] }, 'metrics.0.target.type', /Utilization or AverageValue, not Value/],
    ['malformed quantity', { metrics: [{ name: 'mem', type: 'Resource', resource: 'memory', target: { type: 'AverageValue', value: '5 Mi' } }] }, 'metrics.0.target.value', /quantity/],
    ['wrong target kind', { target: { kind: 'DaemonSet', namespace: 'x', name: 'y' } }, 'target.kind', /Deployment or StatefulSet/],
    ['scale to zero with a Resource metric', { minReplicas: 0 }, 'minReplicas', /every metric is Queue or External/],
    ['native with a Queue metric', { mode: 'native', metrics: [{ name: 'q', type: 'Queue', queue: { kind: 'bullmq', name: 'jobs' }, target: { type: 'AverageValue', value: 5 } }] }, 'metrics.0.type', /native autoscaler/],
    ['interval out of range', { intervalSeconds: 0 }, 'intervalSeconds', /between 1 and 3600/],
  ])('%s', async (_what, over, path, message) => {
    const reply = await h.createReply(create(over));
    expect(reply).toMatchObject({ ok: false, error: { code: 'Invalid', fieldErrors: expect.arrayContaining([expect.objectContaining({ path, message: expect.stringMatching(message) })]) } });
  });

  it('a target that does not exist → NotFound; an unknown autoscaler → NotFound', async () => {
    expect(await h.createReply(create({ target: { kind: 'Deployment', namespace: ns, name: 'nope' } }))).toMatchObject({ ok: false, error: { code: 'NotFound' } });
    expect(await h.query(AUTOSCALER_QUERIES.get, { id: 'as-0000000000' })).toMatchObject({ ok: false, error: { code: 'NotFound', message: 'autoscaler as-0000000000 not found' } });
  });
});
