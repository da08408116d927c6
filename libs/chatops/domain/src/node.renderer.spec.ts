import type { Operation } from '@bosun/contracts';
import { blockSentence } from './node.renderer';
import { renderOperation } from './operation.renderer';
import { renderQueryResult } from './query.renderer';
import { readDrainPlan, readNodes } from './result.views';
import { slackLimitViolations, visible } from './slack-limits.testing';

const NODES = [
  {
    name: 'worker-1', ready: 'True', schedulable: true, roles: ['worker'], version: 'v1.31.2', taints: [], problems: [],
    cordoned: false, pods: 12, allocatable: { cpu: '4', memory: '16Gi', pods: '110', 'ephemeral-storage': '100Gi' }, futureField: { x: 1 },
  },
  {
    name: 'worker-2', ready: 'False', schedulable: false, roles: [], taints: ['node.kubernetes.io/unreachable:NoExecute', 'dedicated=gpu:NoSchedule'],
    problems: [{ type: 'MemoryPressure', reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory' }], cordoned: true, pods: 3,
  },
];

describe('nodes', () => {
  it('renders one compact line per node: ready, cordoned, taints, pods, allocatable; troubled nodes first', () => {
    const m = renderQueryResult({ kind: 'nodes', nodes: readNodes(NODES) });
    const all = visible(m);
    expect(m.text).toBe('2 nodes: 1 ready, 1 not ready, 1 cordoned');
    expect(all).toContain('🟢 `worker-1` · Ready · worker · 12 pods · alloc cpu 4 / memory 16Gi / pods 110 · v1.31.2');
    expect(all).toContain('🔴 `worker-2` · *NotReady* (False) · *cordoned* · 3 pods');
    expect(all).toContain('taints: `node.kubernetes.io/unreachable:NoExecute`, `dedicated=gpu:NoSchedule`');
    expect(all).toContain('⚠️ MemoryPressure KubeletHasInsufficientMemory: kubelet has insufficient memory');
    expect(all.indexOf('worker-2')).toBeLessThan(all.indexOf('worker-1'));
  });

  it('accepts {items}, Kubernetes-style conditions and taint objects', () => {
    const nodes = readNodes({ items: [{ name: 'n1', conditions: [{ type: 'Ready', status: 'True' }, { type: 'DiskPressure', status: 'True', reason: 'KubeletHasDiskPressure' }], taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }], unschedulable: true }] });
    expect(nodes[0]).toMatchObject({ name: 'n1', ready: 'True', cordoned: true, taints: ['k=v:NoSchedule'], problems: [{ type: 'DiskPressure', status: 'True' }] });
  });

  it('cuts a large cluster with "… and N more nodes" within Slack\'s limits', () => {
    const many = Array.from({ length: 300 }, (_, i) => ({ ...NODES[1], name: `node-${i}.very-long-domain-name.compute.internal` }));
    const m = renderQueryResult({ kind: 'nodes', nodes: readNodes(many) });
    expect(visible(m)).toContain('… and 260 more nodes');
    expect(slackLimitViolations(m)).toEqual([]);
  });

  it('an empty list says so', () => {
    expect(renderQueryResult({ kind: 'nodes', nodes: [] }).text).toBe('The cluster has no nodes.');
  });
});

const PLAN = {
  evict: ['team-a/web-1', 'team-a/web-2', 'team-b/job-x'],
  skip: [{ pod: 'kube-system/kube-proxy-abc', reason: 'DaemonSet' }, { pod: 'kube-system/etcd-worker-1', reason: 'Mirror' }],
  refuse: [{ pod: 'team-c/scratch', reason: 'LocalStorage' }, { pod: 'team-c/bare', reason: 'NoController' }],
  blocked: [{ pod: 'team-a/web-1', disruptionBudget: 'team-a/web', needs: 2, has: 2 }],
};

describe('drain dry-run', () => {
  it('renders the plan with the blockers in plain words', () => {
    const m = renderQueryResult({ kind: 'drain-plan', node: 'worker-1', plan: readDrainPlan(PLAN) });
    const all = visible(m);
    expect(all).toContain('🧪 *Dry run* — draining `worker-1` would cordon it, then:');
    expect(all).toContain('*Evict* (3): `team-a/web-1`, `team-a/web-2`, `team-b/job-x`');
    expect(all).toContain('*Blocked* (1):\n🛑 team-a/web-1 is blocked by PodDisruptionBudget team-a/web: it needs 2 healthy pods and has 2');
    expect(all).toContain('• `team-c/scratch` — uses emptyDir data, which is lost; a drain with deleteEmptyDirData would remove it');
    expect(all).toContain('• `team-c/bare` — has no controller to bring it back; only a forced drain removes it');
    expect(all).toContain('kube-system/kube-proxy-abc (DaemonSet pod, stays)');
    expect(all).toContain('fail with DrainBlocked');
    expect(all).toContain('Nothing changed: this was a dry run.');
    expect(m.text).toBe('Dry run of drain worker-1: evict 3, blocked 1, refused 2, left alone 2; team-a/web-1 is blocked by PodDisruptionBudget team-a/web: it needs 2 healthy pods and has 2');
  });

  it('a clean plan says the drain would go through', () => {
    const m = renderQueryResult({ kind: 'drain-plan', node: 'worker-1', plan: readDrainPlan({ evict: ['a/b'], skip: [], refuse: [], blocked: [] }) });
    expect(visible(m)).toContain('✅ Nothing blocks it: `/bosun drain worker-1` would evict 1 pod.');
  });

  it('words a blocker without counts with its message', () => {
    expect(blockSentence({ pod: 'a/p', disruptionBudget: 'a/pdb', needs: 1, has: 1 })).toBe('a/p is blocked by PodDisruptionBudget a/pdb: it needs 1 healthy pod and has 1');
    expect(blockSentence({ pod: 'a/p', disruptionBudget: 'a/pdb', message: 'Cannot evict pod as it would violate the pod\'s disruption budget.' }))
      .toBe('a/p is blocked by PodDisruptionBudget a/pdb: Cannot evict pod as it would violate the pod\'s disruption budget.');
  });

  it('stays within Slack\'s limits for a node with hundreds of pods', () => {
    const pods = Array.from({ length: 400 }, (_, i) => `namespace-${i}/pod-with-a-rather-long-name-${i}`);
    const plan = readDrainPlan({ evict: pods, skip: pods.map((pod) => ({ pod, reason: 'DaemonSet' })), refuse: pods.map((pod) => ({ pod, reason: 'NoController' })), blocked: pods.map((pod) => ({ pod, disruptionBudget: 'x/y', needs: 3, has: 3 })) });
    const m = renderQueryResult({ kind: 'drain-plan', node: 'n', plan });
    expect(slackLimitViolations(m)).toEqual([]);
    expect(visible(m)).toContain('… and 375 more pods');
    expect(visible(m)).toContain('… and 375 more blocked pods');
  });
});

const drainOp = (over: Partial<Operation>): Operation => ({
  id: 'op_drain1', kind: 'node.drain', status: 'succeeded', actor: { subject: 'user:alice', groups: [], via: 'chat' },
  target: { cluster: 'default', kind: 'Node', name: 'worker-1' }, createdAt: '2026-12-01T10:00:00Z', updatedAt: '2026-12-01T10:01:00Z', ...over,
});

describe('drain result', () => {
  it('a successful drain lists what was evicted and what waited for a budget', () => {
    const m = renderOperation(drainOp({
      result: { node: 'worker-1', evicted: ['team-a/web-1', 'team-a/web-2'], blocked: [{ pod: 'team-a/web-1', disruptionBudget: 'team-a/web' }], skipped: [{ pod: 'kube-system/kube-proxy-abc', reason: 'DaemonSet' }] },
    }));
    const all = visible(m);
    expect(m.text).toBe('Drain worker-1: succeeded (2 evicted, 1 blocked) — operation op_drain1 by user:alice');
    expect(all).toContain('*Evicted* (2): `team-a/web-1`, `team-a/web-2`');
    expect(all).toContain('*Blocked for a while, then evicted* (1):');
    expect(all).toContain('Left on the node (1): kube-system/kube-proxy-abc');
  });

  it('DrainBlocked names the budgets that held the pods, with the hint', () => {
    const m = renderOperation(drainOp({
      status: 'failed',
      error: { code: 'DrainBlocked', message: 'drain of node "worker-1" did not finish within 300 s: team-a/web-1 (team-a/web)' },
      result: { evicted: ['team-b/job-x'], blocked: [{ pod: 'team-a/web-1', disruptionBudget: 'team-a/web', needs: 2, has: 2, message: 'Cannot evict pod' }] },
    }));
    const all = visible(m);
    expect(all).toContain('*DrainBlocked*: drain of node "worker-1" did not finish within 300 s');
    expect(all).toContain('*Still blocked* (1):\n🛑 team-a/web-1 is blocked by PodDisruptionBudget team-a/web: it needs 2 healthy pods and has 2');
    expect(all).toContain('💡 A PodDisruptionBudget kept some pods');
    expect(m.text).toMatch(/^Drain worker-1: failed \(DrainBlocked: .*\) \(1 evicted, 1 blocked\)/);
  });

  it('DrainBlocked without a result still shows the error and its hint', () => {
    const m = renderOperation(drainOp({ status: 'failed', error: { code: 'DrainBlocked', message: 'blocked by team-a/web' } }));
    expect(visible(m)).toContain('*DrainBlocked*: blocked by team-a/web');
    expect(visible(m)).not.toContain('*Evicted*');
  });
});
