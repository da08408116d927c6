import type { NodeView } from '@bosun/contracts';
import type { Node, Pod } from 'kubernetes-types/core/v1';

// Small node-side pieces of cordon, drain and `GET /v1/nodes` (004:4643-4760).

/** The patch of `kubectl cordon` (true) and `kubectl uncordon` (false). */
export const cordonPatch = (unschedulable: boolean): { spec: { unschedulable: boolean } } => ({ spec: { unschedulable } });

/** The body POSTed to `pods/<name>/eviction` (000:3779-3787). */
export interface EvictionBody {
  apiVersion: 'policy/v1';
  kind: 'Eviction';
  metadata: { name: string; namespace: string };
  deleteOptions?: { gracePeriodSeconds: number };
}

/**
 * An Eviction for a pod. A negative grace period (kubectl's default -1) leaves the pod's own
 * terminationGracePeriodSeconds in force, so no deleteOptions are sent.
 */
export const evictionFor = (pod: Pod, gracePeriodSeconds = -1): EvictionBody => ({
  apiVersion: 'policy/v1',
  kind: 'Eviction',
  metadata: { name: pod.metadata?.name ?? '', namespace: pod.metadata?.namespace ?? 'default' },
  ...(gracePeriodSeconds >= 0 ? { deleteOptions: { gracePeriodSeconds } } : {}),
});

const ROLE_LABEL = 'node-role.kubernetes.io/';
const PROBLEM_CONDITIONS = new Set(['MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable']);

const readiness = (node: Node): NodeView['ready'] => {
  const status = node.status?.conditions?.find((c) => c.type === 'Ready')?.status;
  return status === 'True' || status === 'False' ? status : 'Unknown';
};

const rolesOf = (node: Node): string[] =>
  Object.keys(node.metadata?.labels ?? {})
    .filter((k) => k.startsWith(ROLE_LABEL))
    .map((k) => k.slice(ROLE_LABEL.length))
    .filter((r) => r !== '')
    .sort();

const problemsOf = (node: Node): NodeView['problems'] =>
  (node.status?.conditions ?? [])
    .filter((c) => PROBLEM_CONDITIONS.has(c.type) && c.status === 'True')
    .map((c) => ({ type: c.type, ...(c.reason ? { reason: c.reason } : {}), ...(c.message ? { message: c.message } : {}) }));

/** A node as `kubectl get nodes` shows it, plus its taints and the conditions that are a problem. */
export const nodeView = (node: Node): NodeView => {
  const version = node.status?.nodeInfo?.kubeletVersion;
  const internalIP = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
  return {
    name: node.metadata?.name ?? '',
    ready: readiness(node),
    schedulable: node.spec?.unschedulable !== true,
    roles: rolesOf(node),
    ...(version ? { version } : {}),
    ...(internalIP ? { internalIP } : {}),
    taints: (node.spec?.taints ?? []).map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`),
    problems: problemsOf(node),
  };
};

const quantities = (values: Record<string, string> | undefined): Record<string, string> => ({ ...(values ?? {}) });

/**
 * `nodeView` plus what `kubectl describe node` adds that Bosun lists: every condition, cordon,
 * allocatable and capacity, and how many unfinished pods are bound to it (counted by the caller).
 */
export const nodeDetails = (node: Node, pods?: number): NodeView => ({
  ...nodeView(node),
  cordoned: node.spec?.unschedulable === true,
  conditions: (node.status?.conditions ?? []).map((c) => ({ type: c.type, status: c.status, ...(c.reason ? { reason: c.reason } : {}), ...(c.message ? { message: c.message } : {}) })),
  allocatable: quantities(node.status?.allocatable),
  capacity: quantities(node.status?.capacity),
  ...(pods !== undefined ? { pods } : {}),
});

/** Unfinished pods per node name (`kubectl describe node`'s "Non-terminated Pods"). */
export const podsPerNode = (pods: readonly Pod[]): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const p of pods) {
    const node = p.spec?.nodeName;
    if (!node || p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') continue;
    counts.set(node, (counts.get(node) ?? 0) + 1);
  }
  return counts;
};
