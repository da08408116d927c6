// Builders for specs: small pods, budgets and controllers with only the fields that matter.
import type { Pod } from 'kubernetes-types/core/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import type { ControllerScale } from './disruption-budget.math';

export interface PodSpecOptions {
  ns?: string;
  owner?: [kind: string, name: string];
  phase?: string;
  ready?: boolean;
  labels?: Record<string, string>;
  emptyDir?: boolean;
  mirror?: boolean;
  deleting?: boolean;
}

export const pod = (name: string, o: PodSpecOptions = {}): Pod => ({
  metadata: {
    name,
    namespace: o.ns ?? 'default',
    labels: o.labels ?? {},
    ...(o.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: o.owner[0], name: o.owner[1], uid: `uid-${o.owner[1]}`, controller: true }] } : {}),
    ...(o.mirror ? { annotations: { 'kubernetes.io/config.mirror': 'abc123' } } : {}),
    ...(o.deleting ? { deletionTimestamp: '2026-12-01T10:00:00Z' } : {}),
  },
  spec: { containers: [{ name: 'c' }], ...(o.emptyDir ? { volumes: [{ name: 'scratch', emptyDir: {} }] } : {}) },
  status: { phase: o.phase ?? 'Running', conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
});

export const controller = (kind: string, name: string, replicas?: number, ns = 'default'): ControllerScale => ({
  kind, name, namespace: ns, uid: `uid-${name}`, ...(replicas !== undefined ? { replicas } : {}),
});

export const budget = (name: string, spec: PodDisruptionBudget['spec'], ns = 'default'): PodDisruptionBudget => ({
  apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace: ns, generation: 1 }, spec,
});
