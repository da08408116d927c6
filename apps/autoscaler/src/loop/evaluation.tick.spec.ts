import type { BosunConfig } from '@bosun/config';
import { KubeError } from '@bosun/kube';
import type { ClusterRegistry, KubePort } from '@bosun/kube';
import type { BosunLogger } from '@bosun/logging';
import type { JetStreamPublisher } from '@bosun/messaging';
import type { AutoscalerDefinition, AutoscalerState, AutoscalerStore, StoredDecision } from '../autoscalers/autoscaler.store';
import { EvaluationTick } from './evaluation.tick';
import type { MetricObserver } from './metric.observer';
import type { Workload, WorkloadReader } from './workload.reader';

// One evaluation with every port faked: what is recorded, what is scaled and as whom.
const def: AutoscalerDefinition = {
  id: 'as-0123456789', cluster: 'default', actor: { subject: 'user:alice', groups: ['dev'] }, createdAt: '2026-12-01T20:00:00Z',
  request: {
    target: { kind: 'Deployment', namespace: 'ns', name: 'web' }, minReplicas: 1, maxReplicas: 5, intervalSeconds: 1, mode: 'managed',
    metrics: [{ name: 'load', type: 'External', url: 'http://127.0.0.1:1/m', target: { type: 'AverageValue', value: 10 } }],
  },
};

const fakes = (opts: { scale?: () => Promise<void>; workload?: Workload | undefined; slotFree?: boolean; value?: number } = {}) => {
  const decisions: StoredDecision[] = [];
  let state: AutoscalerState | undefined;
  const scaled: { replicas: number; as: unknown }[] = [];
  const events: unknown[] = [];
  const store = {
    get: async (id: string) => (id === def.id ? def : undefined),
    lease: async () => true, release: async () => undefined,
    state: async () => state, saveState: async (_id: string, s: AutoscalerState) => void (state = s),
    record: async (_id: string, d: StoredDecision) => void decisions.unshift(d),
    claimSlot: async () => opts.slotFree ?? true,
  } as unknown as AutoscalerStore;
  const kube = { scale: async (_ref: unknown, replicas: number, o: { as: unknown }) => { scaled.push({ replicas, as: o.as }); await opts.scale?.(); } } as unknown as KubePort;
  const registry = { resolve: async () => kube } as unknown as ClusterRegistry;
  const workload: Workload | undefined = 'workload' in opts ? opts.workload : { object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } }, replicas: 1, pods: [] };
  const workloads = { read: async () => workload } as unknown as WorkloadReader;
  const observer = { observe: async () => [{ name: 'load', type: 'External', target: { type: 'AverageValue', value: 10 }, value: opts.value ?? 30 }] } as unknown as MetricObserver;
  const publisher = { event: async (_s: string, e: unknown) => { events.push(e); return { seq: 1, duplicate: false }; } } as unknown as JetStreamPublisher;
  const logger = { warn: () => undefined, info: () => undefined, debug: () => undefined } as unknown as BosunLogger;
  const tick = new EvaluationTick(store, registry, workloads, observer, publisher, logger, { instanceId: 'test' } as BosunConfig);
  return { tick, decisions, scaled, events, state: () => state };
};

describe('EvaluationTick', () => {
  it('scales as the creating subject, records the decision with its input and announces the change', async () => {
    const f = fakes();
    expect(await f.tick.run(def.id, 1000)).toBe('evaluated');
    expect(f.scaled).toEqual([{ replicas: 3, as: { user: 'alice', groups: ['dev'] } }]);
    expect(f.decisions[0]).toMatchObject({ slot: 1000, view: { currentReplicas: 1, desiredReplicas: 3 }, input: { currentReplicas: 1, maxReplicas: 5 } });
    expect(f.state()).toMatchObject({ currentReplicas: 3, desiredReplicas: 3, lastScaleTime: expect.any(String), history: { scaleUpEvents: [{ change: 2 }] } });
    expect(f.events).toEqual([expect.objectContaining({ autoscalerId: def.id, from: 1, to: 3, actor: 'user:alice' })]);
  });

  it('a refused scale is reported in the condition and the decision, not as a scale event', async () => {
    const f = fakes({ scale: async () => { throw new KubeError(403, 'Forbidden', 'deployments.apps "web" is forbidden: User "alice" cannot update resource "deployments/scale"'); } });
    await f.tick.run(def.id, 1000);
    expect(f.decisions[0].view).toMatchObject({ desiredReplicas: 3, scaleError: { code: 'Forbidden' }, explanation: expect.stringContaining('not applied: Forbidden: ') });
    expect(f.state()).toMatchObject({ currentReplicas: 1, conditions: { AbleToScale: { status: 'False', reason: 'FailedUpdateScale' } } });
    expect(f.state()?.history?.scaleUpEvents).toEqual([]);
    expect(f.events).toEqual([]);
  });

  it('a slot evaluated already is a duplicate: nothing scaled or recorded', async () => {
    const f = fakes({ slotFree: false });
    expect(await f.tick.run(def.id, 1000)).toBe('duplicate');
    expect(f.scaled).toEqual([]);
    expect(f.decisions).toEqual([]);
  });

  it('no change, no scale call; a deleted autoscaler is gone; a missing target fails AbleToScale', async () => {
    const same = fakes({ value: 10 });
    await same.tick.run(def.id);
    expect(same.scaled).toEqual([]);
    expect(same.decisions[0].view.explanation).toMatch(/^Keeping 1 replica/);
    expect(await same.tick.run('as-zzzzzzzzzz')).toBe('gone');
    const missing = fakes({ workload: undefined });
    await missing.tick.run(def.id);
    expect(missing.state()?.conditions.AbleToScale).toMatchObject({ status: 'False', reason: 'FailedGetScale', message: expect.stringContaining('deployments.apps "web" not found') });
  });
});
