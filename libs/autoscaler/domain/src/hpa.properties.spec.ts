import fc from 'fast-check';
import { cpu, external, hpa, NOW_MS, podsMetric } from './hpa.fixtures';
import type { Behavior, HpaInput, MetricInput, PodSample } from './hpa.types';
import { recommendReplicas } from './hpa.recommender';

// Algebraic rules of the HPA over random observations, behaviors and histories.

const pod = fc.record({
  name: fc.string({ minLength: 1, maxLength: 4 }),
  value: fc.option(fc.integer({ min: 0, max: 2000 }), { nil: undefined }),
  ready: fc.option(fc.boolean(), { nil: undefined }),
  phase: fc.option(fc.constantFrom('Pending', 'Running', 'Failed') as fc.Arbitrary<PodSample['phase']>, { nil: undefined }),
  deleting: fc.option(fc.boolean(), { nil: undefined }),
}).map((p) => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as unknown as PodSample);

const metric: fc.Arbitrary<MetricInput> = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 300 }), fc.array(pod, { maxLength: 12 })).map(([target, pods]) => cpu(target, pods)),
  fc.tuple(fc.integer({ min: 1, max: 5000 }), fc.array(pod, { maxLength: 12 })).map(([target, pods]) => podsMetric('qps', `${target}m`, pods)),
  fc.tuple(fc.constantFrom('Value', 'AverageValue') as fc.Arbitrary<'Value' | 'AverageValue'>, fc.integer({ min: 1, max: 100 }), fc.option(fc.nat(10_000), { nil: undefined }))
    .map(([type, target, value]) => external('jobs', type, target, value)),
);

const policy = fc.record({ type: fc.constantFrom('Pods', 'Percent') as fc.Arbitrary<'Pods' | 'Percent'>, value: fc.integer({ min: 1, max: 200 }), periodSeconds: fc.integer({ min: 1, max: 1800 }) });
const rules = fc.record({
  stabilizationWindowSeconds: fc.option(fc.integer({ min: 0, max: 3600 }), { nil: undefined }),
  selectPolicy: fc.option(fc.constantFrom('Max', 'Min', 'Disabled') as fc.Arbitrary<'Max' | 'Min' | 'Disabled'>, { nil: undefined }),
  policies: fc.option(fc.array(policy, { minLength: 1, maxLength: 3 }), { nil: undefined }),
}, { requiredKeys: [] });
const behavior: fc.Arbitrary<Behavior | undefined> = fc.option(fc.record({ scaleUp: rules, scaleDown: rules }, { requiredKeys: [] }), { nil: undefined });
const at = fc.integer({ min: 0, max: 4000 }).map((s) => NOW_MS - s * 1000);
const history = fc.record({
  recommendations: fc.array(fc.record({ at, replicas: fc.nat(200) }), { maxLength: 6 }),
  scaleUpEvents: fc.array(fc.record({ at, change: fc.nat(50) }), { maxLength: 4 }),
  scaleDownEvents: fc.array(fc.record({ at, change: fc.nat(50) }), { maxLength: 4 }),
});

const input: fc.Arbitrary<HpaInput> = fc
  .record({ min: fc.integer({ min: 1, max: 20 }), span: fc.nat(40), current: fc.integer({ min: 1, max: 80 }), metrics: fc.array(metric, { minLength: 1, maxLength: 3 }), behavior, history })
  .map(({ min, span, current, metrics, behavior: b, history: h }) => hpa(current, metrics, { minReplicas: min, maxReplicas: min + span, behavior: b, history: h, now: NOW_MS }));

describe('HPA properties', () => {
  it('the desired count is always within [min, max]', () => {
    fc.assert(fc.property(input, (i) => {
      const { desiredReplicas } = recommendReplicas(i);
      expect(desiredReplicas).toBeGreaterThanOrEqual(i.minReplicas ?? 1);
      expect(desiredReplicas).toBeLessThanOrEqual(i.maxReplicas);
    }), { numRuns: 2000 });
  });

  it('with minReplicas 0 on External metrics the count stays within [0, max]', () => {
    const zero = fc.record({ current: fc.nat(30), max: fc.integer({ min: 1, max: 30 }), backlogs: fc.array(fc.option(fc.nat(500), { nil: undefined }), { minLength: 1, maxLength: 3 }), behavior, history })
      .map(({ current, max, backlogs, behavior: b, history: h }) =>
        hpa(current, backlogs.map((v, n) => external(`q${n}`, 'AverageValue', 20, v, 5)), { minReplicas: 0, maxReplicas: max, behavior: b, history: h, now: NOW_MS }));
    fc.assert(fc.property(zero, (i) => {
      const { desiredReplicas } = recommendReplicas(i);
      expect(desiredReplicas).toBeGreaterThanOrEqual(0);
      expect(desiredReplicas).toBeLessThanOrEqual(Math.max(i.maxReplicas, i.currentReplicas > i.maxReplicas ? i.maxReplicas : 0));
    }), { numRuns: 1000 });
  });

  it('inside the tolerance band nothing changes (000:13217-13220)', () => {
    const band = fc.record({ target: fc.integer({ min: 10, max: 300 }), current: fc.integer({ min: 1, max: 40 }), at: fc.double({ min: 0.9, max: 1.1, noNaN: true }) })
      .map(({ target, current, at: ratio }) => {
        const value = Math.min(Math.floor(target * 1.1), Math.max(Math.ceil(target * 0.9), Math.round(target * ratio)));
        return { input: hpa(current, [cpu(target, Array.from({ length: current }, (_, n) => ({ name: `p${n}`, value })))], { maxReplicas: 100 }), current };
      });
    fc.assert(fc.property(band, ({ input: i, current }) => {
      expect(recommendReplicas(i)).toMatchObject({ recommendation: current, desiredReplicas: current });
    }), { numRuns: 2000 });
  });

  it('every pod above the band scales up, every pod below scales down or holds (no missing or unready pods)', () => {
    const pods = fc.record({ target: fc.integer({ min: 10, max: 200 }), current: fc.integer({ min: 1, max: 30 }), factor: fc.double({ min: 1.2, max: 5, noNaN: true }) });
    fc.assert(fc.property(pods, ({ target, current, factor }) => {
      const high = Math.ceil(target * factor);
      const up = recommendReplicas(hpa(current, [cpu(target, Array.from({ length: current }, (_, n) => ({ name: `p${n}`, value: high })))], { maxReplicas: 1000 }));
      expect(up.recommendation).toBeGreaterThan(current);
      const low = Math.floor(target / factor);
      const down = recommendReplicas(hpa(current, [cpu(target, Array.from({ length: current }, (_, n) => ({ name: `p${n}`, value: low })))], { maxReplicas: 1000 }));
      expect(down.recommendation).toBeLessThanOrEqual(current);
    }), { numRuns: 1000 });
  });

  it('never throws and always explains itself', () => {
    fc.assert(fc.property(input, (i) => {
      const r = recommendReplicas(i);
      expect(r.explanation).toMatch(/^(New size: \d+|Keeping \d+ replicas?); reason: .+/);
      expect(r.perMetric).toHaveLength(i.metrics.length);
    }), { numRuns: 500 });
  });
});
