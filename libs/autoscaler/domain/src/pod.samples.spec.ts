import { decimalQuantity, durationSeconds, podRequest, podSamples, readyPodCount, selectorMatches } from './pod.samples';
import type { PodLike, PodMetricsLike } from './pod.samples';
import { recommendReplicas } from './hpa.recommender';

const pod = (name: string, over: Partial<PodLike['status']> = {}, requests: (string | undefined)[] = ['100m']): PodLike => ({
  metadata: { name },
  spec: { containers: requests.map((cpu) => ({ resources: { requests: cpu ? { cpu } : ({} as Record<string, string>) } })) },
  status: { phase: 'Running', startTime: '2026-12-01T19:00:00Z', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-12-01T19:00:05Z' }], ...over },
});
const metrics = (name: string, ...cpu: string[]): PodMetricsLike => ({ metadata: { name }, timestamp: '2026-12-01T20:00:00Z', window: '10.5s', containers: cpu.map((c, i) => ({ name: `c${i}`, usage: { cpu: c } })) });

describe('pod samples from informer pods and metrics.k8s.io PodMetrics', () => {
  it('metrics-server nano-cores become exact decimals; other quantities pass through', () => {
    expect(decimalQuantity('300020596n')).toBe('0.300020596');
    expect(decimalQuantity('5n')).toBe('0.000000005');
    expect(decimalQuantity('1500u')).toBe('0.001500');
    expect(decimalQuantity('250m')).toBe('250m');
  });

  it('durations as metrics-server writes them', () => {
    expect(durationSeconds('10.5s')).toBe(10.5);
    expect(durationSeconds('1m30s')).toBe(90);
    expect(durationSeconds(undefined)).toBeUndefined();
  });

  it('a request is the sum over containers, or none when one container sets none', () => {
    expect(podRequest(pod('a', {}, ['100m', '150m']), 'cpu')).toBe('250m');
    expect(podRequest(pod('a', {}, ['100m', undefined]), 'cpu')).toBeUndefined();
  });

  it('joins usage by pod name: summed containers, readiness, times; a pod without metrics has no usage', () => {
    const samples = podSamples([pod('a', {}, ['100m', '100m']), pod('b')], new Map([['a', metrics('a', '150000000n', '50m')]]), 'cpu');
    expect(samples[0]).toEqual({
      name: 'a', ready: true, phase: 'Running', startTime: '2026-12-01T19:00:00Z', readyTransitionTime: '2026-12-01T19:00:05Z', request: '200m',
      usage: '200m', metricTime: '2026-12-01T20:00:00Z', metricWindowSeconds: 10.5,
    });
    expect(samples[1].usage).toBeUndefined();
    expect(samples[1].request).toBe('100m');
  });

  it('the samples drive the algorithm: 300m of 100m against 50 % proposes 6 per pod', () => {
    const samples = podSamples([pod('a')], new Map([['a', metrics('a', '300000000n')]]), 'cpu');
    const r = recommendReplicas({ currentReplicas: 1, maxReplicas: 10, now: '2026-12-01T20:00:10Z', metrics: [{ name: 'cpu', type: 'Resource', resource: 'cpu', target: { type: 'Utilization', value: 50 }, pods: samples }] });
    expect(r.perMetric[0]).toMatchObject({ current: '300', proposal: 6 });
  });

  it('ready pods: Running, Ready and not being deleted', () => {
    const deleting = { ...pod('c'), metadata: { name: 'c', deletionTimestamp: '2026-12-01T20:00:00Z' } };
    expect(readyPodCount([pod('a'), pod('b', { phase: 'Pending' }), deleting, pod('d', { conditions: [{ type: 'Ready', status: 'False' }] })])).toBe(1);
  });

  it('label selectors: matchLabels and matchExpressions; an empty selector matches nothing', () => {
    const sel = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe', 'be'] }, { key: 'canary', operator: 'DoesNotExist' }] };
    expect(selectorMatches(sel, { app: 'web', tier: 'fe' })).toBe(true);
    expect(selectorMatches(sel, { app: 'web', tier: 'db' })).toBe(false);
    expect(selectorMatches(sel, { app: 'web', tier: 'fe', canary: 'y' })).toBe(false);
    expect(selectorMatches({}, { app: 'web' })).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'x', operator: 'NotIn', values: ['1'] }, { key: 'y', operator: 'Exists' }] }, { y: '' })).toBe(true);
  });
});
