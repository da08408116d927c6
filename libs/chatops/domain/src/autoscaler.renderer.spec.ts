import { findAutoscaler, toQueryResult, whyScaleResult } from './query-result.mapper';
import { renderQueryResult } from './query.renderer';
import { readAutoscalers, readDecisions } from './result.views';
import { commandToRequest } from './command.mapper';
import { parseCommand } from './command.parser';
import type { QueryRequest } from './chat-request.types';
import { slackLimitViolations, visible } from './slack-limits.testing';

const cond = (type: string, status: string, reason: string, message = '') => ({ type, status, reason, message });
const WEB = {
  id: 'as-web0000001', cluster: 'default', createdBy: 'user:alice', createdAt: '2026-12-01T09:00:00Z', intervalSeconds: 15,
  target: { kind: 'Deployment', namespace: 'team-a', name: 'web' }, mode: 'managed', minReplicas: 2, maxReplicas: 8,
  currentReplicas: 5, desiredReplicas: 8, metrics: [{ name: 'cpu', current: '180' }, { name: 'backlog' }],
  conditions: [
    cond('AbleToScale', 'True', 'ReadyForNewScale'),
    cond('ScalingActive', 'False', 'FailedGetExternalMetric', 'GET https://metrics/x: 503'),
    cond('ScalingLimited', 'True', 'TooManyReplicas', 'the desired replica count is more than the maximum replica count'),
  ],
};
const WORKER = {
  ...WEB, id: 'as-wrk0000001', target: { kind: 'StatefulSet', namespace: 'team-b', name: 'worker' }, mode: 'native', currentReplicas: 1, desiredReplicas: 1,
  metrics: [], conditions: [cond('AbleToScale', 'True', 'ReadyForNewScale'), cond('ScalingActive', 'True', 'ValidMetricFound'), cond('ScalingLimited', 'False', 'DesiredWithinRange')],
};

const request = (text: string): QueryRequest => {
  const p = parseCommand(text);
  if (!p.ok) throw new Error(p.reason);
  const r = commandToRequest(p.command);
  if (r.type !== 'query') throw new Error('query expected');
  return r;
};

describe('autoscalers', () => {
  it('renders target, mode, current → desired, min/max and the conditions worth a look', () => {
    const result = toQueryResult(request('autoscalers'), { items: [WORKER, WEB] });
    if (!result) throw new Error('result expected');
    const m = renderQueryResult(result);
    const all = visible(m);
    expect(m.text).toBe('2 autoscalers, 1 with conditions to look at');
    expect(all).toContain('• `team-a/web` (Deployment) · managed · 5 replicas → wants 8 · min 2, max 8 · `as-web0000001`');
    expect(all).toContain('metrics: cpu 180');
    expect(all).toContain('⚠️ ScalingActive=False FailedGetExternalMetric: GET https://metrics/x: 503');
    expect(all).toContain('⚠️ ScalingLimited=True TooManyReplicas');
    expect(all).toContain('• `team-b/worker` (StatefulSet) · native · 1 replica · min 2, max 8 · `as-wrk0000001`');
    expect(all).not.toContain('DesiredWithinRange');
    expect(all).not.toContain('ReadyForNewScale');
    expect(all.indexOf('team-a/web')).toBeLessThan(all.indexOf('team-b/worker'));
  });

  it('filters by the target namespace on our side', () => {
    const result = toQueryResult(request('autoscalers team-b'), [WORKER, WEB]);
    expect(result).toMatchObject({ kind: 'autoscalers', namespace: 'team-b', autoscalers: [{ id: 'as-wrk0000001' }] });
    const none = toQueryResult(request('autoscalers team-z'), { items: [WORKER, WEB] });
    if (!none) throw new Error('result expected');
    expect(renderQueryResult(none).text).toBe('No autoscalers in team-z.');
  });

  it('reads conditions given as a map, and stays within limits for many autoscalers', () => {
    expect(readAutoscalers([{ ...WEB, conditions: { AbleToScale: { status: 'False', reason: 'FailedGetScale', message: 'm' } } }])[0].conditions)
      .toEqual([{ type: 'AbleToScale', status: 'False', reason: 'FailedGetScale', message: 'm' }]);
    const many = Array.from({ length: 200 }, (_, i) => ({ ...WEB, id: `as-${i}`, target: { ...WEB.target, name: `web-${String(i).padStart(3, '0')}` } }));
    const m = renderQueryResult({ kind: 'autoscalers', autoscalers: readAutoscalers(many) });
    expect(slackLimitViolations(m)).toEqual([]);
    expect(visible(m)).toContain('… and 170 more autoscalers');
  });
});

const DECISIONS = {
  items: [
    {
      at: '2026-12-01T10:00:30Z', currentReplicas: 5, desiredReplicas: 8, recommendation: 10, limitedBy: 'maxReplicas',
      perMetric: [{ name: 'cpu', current: '180', proposal: 10, missingPods: ['web-4'], unreadyPods: ['web-5', 'web-6'] }, { name: 'backlog', error: 'queue jobs does not exist' }],
      explanation: 'New size: 8; reason: cpu resource utilization (percentage of request) above target',
    },
    { at: '2026-12-01T10:00:15Z', currentReplicas: 5, desiredReplicas: 5, recommendation: 4, limitedBy: 'stabilization', perMetric: [{ name: 'cpu', current: '75', proposal: 4 }], explanation: 'held' },
    { at: '2026-12-01T10:00:00Z', currentReplicas: 4, desiredReplicas: 5, recommendation: 5, perMetric: [{ name: 'cpu', current: '110', proposal: 5 }], explanation: '', scaleError: { code: 'Forbidden', message: 'cannot patch deployments/scale' } },
  ],
};

describe('why-scale', () => {
  const req = request('why-scale team-a/web');

  it('finds the autoscaler whose target is the workload', () => {
    expect(findAutoscaler({ items: [WORKER, WEB] }, 'team-a', 'web')?.id).toBe('as-web0000001');
    expect(findAutoscaler({ items: [WORKER, WEB] }, 'team-a', 'api')).toBeUndefined();
    expect(findAutoscaler(undefined, 'team-a', 'web')).toBeUndefined();
  });

  it('explains the decisions in words: what it chose, why, what limited it', () => {
    const m = renderQueryResult(whyScaleResult(req, readAutoscalers([WEB])[0], DECISIONS));
    const all = visible(m);
    expect(all).toContain('📈 `team-a/web` has 5 replicas: autoscaler `as-web0000001` (managed, min 2, max 8)');
    expect(all).toContain('*Latest* (2026-12-01T10:00:30Z): it went from 5 to 8 replicas; cpu at 180 asks for 10 (1 pod without the metric, 2 unready); backlog failed: queue jobs does not exist. The metrics recommended 10, capped at the maximum (maxReplicas 8).');
    expect(all).toContain('New size: 8; reason: cpu resource utilization');
    expect(all).toContain('• 2026-12-01T10:00:15Z: kept 5 replicas; cpu at 75 asks for 4. The metrics recommended 4, held by the stabilization window');
    expect(all).toContain('• 2026-12-01T10:00:00Z: went from 4 to 5 replicas; cpu at 110 asks for 5. Applying it failed: Forbidden: cannot patch deployments/scale.');
    expect(all).toContain('⚠️ ScalingActive=False FailedGetExternalMetric');
    expect(m.text).toMatch(/^team-a\/web: autoscaler as-web0000001 went from 5 to 8 replicas; .*capped at the maximum \(maxReplicas 8\)\.$/);
    expect(slackLimitViolations(m)).toEqual([]);
  });

  it('says plainly when no autoscaler targets the workload, or when it has not decided yet', () => {
    const none = renderQueryResult(whyScaleResult(req, undefined, { items: [] }));
    expect(none.text).toBe('No autoscaler targets team-a/web, so its replicas change only when someone scales it.');
    expect(visible(none)).toContain('`/bosun autoscalers team-a`');
    const fresh = renderQueryResult(whyScaleResult(req, readAutoscalers([WORKER])[0], { items: [] }));
    expect(fresh.text).toBe('team-a/web: autoscaler as-wrk0000001 has not decided anything yet.');
  });

  it('reads decisions leniently', () => {
    expect(readDecisions({ items: [{ at: 'x', perMetric: [{ name: 'cpu', proposal: '3' }] }] })[0]).toMatchObject({ at: 'x', perMetric: [{ name: 'cpu', proposal: 3, missingPods: [] }] });
    expect(readDecisions(null)).toEqual([]);
  });
});
