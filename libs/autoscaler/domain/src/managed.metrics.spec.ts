import { hpa } from './hpa.fixtures';
import { recommendReplicas } from './hpa.recommender';
import { bullmqBacklog, jetstreamBacklog, parseExternalValue, toMetricInput } from './managed.metrics';
import { errorsOf, valueOf } from '@bosun/testing';

const queue = { name: 'emails', type: 'Queue' as const, queue: { kind: 'bullmq' as const, name: 'emails' }, target: { type: 'AverageValue' as const, value: 30 }, activation: 0 };

describe('managed metrics', () => {
  it('counts backlogs as KEDA does', () => {
    expect(bullmqBacklog({ waiting: 40, prioritized: 5, active: 3 })).toBe(48);
    expect(bullmqBacklog({})).toBe(0);
    expect(jetstreamBacklog({ num_pending: 100, num_ack_pending: 20 })).toBe(120);
  });

  it.each([[42, 42], [{ value: 7.5 }, 7.5], [{ value: '1.5k' }, '1.5k'], ['12', '12']])('reads %j from an External endpoint', (body, value) => {
    expect(valueOf(parseExternalValue(body))).toBe(value);
  });

  it.each([[null], [{ count: 3 }], ['  '], [[1, 2]], [{ value: Number.NaN }]])('refuses %j', (body) => {
    expect(errorsOf(parseExternalValue(body))[0].path).toBe('value');
  });

  it('a queue backlog scales as an External AverageValue: 95 jobs at 30 per replica → 4', () => {
    const input = hpa(1, [toMetricInput(queue, { value: bullmqBacklog({ waiting: 90, active: 5 }) })], { minReplicas: 0 });
    expect(recommendReplicas(input)).toMatchObject({ desiredReplicas: 4, explanation: 'New size: 4; reason: queue metric emails above target' });
  });

  it('a missing queue fails the metric with the reason, never a silent 0', () => {
    const input = hpa(3, [toMetricInput(queue, { error: 'queue "emails" does not exist' })], { minReplicas: 0 });
    const r = recommendReplicas(input);
    expect(r.desiredReplicas).toBe(3);
    expect(r.conditions.ScalingActive).toEqual({
      status: 'False', reason: 'FailedGetExternalMetric', message: 'the HPA was unable to compute the replica count: unable to get external metric emails: queue "emails" does not exist',
    });
  });

  it('a Resource metric takes the pod samples', () => {
    const cpu = { name: 'cpu', type: 'Resource' as const, resource: 'cpu' as const, target: { type: 'Utilization' as const, value: 50 } };
    expect(toMetricInput(cpu, { pods: [{ name: 'a', usage: '500m', request: '500m' }] })).toEqual({ ...cpu, pods: [{ name: 'a', usage: '500m', request: '500m' }] });
  });
});
