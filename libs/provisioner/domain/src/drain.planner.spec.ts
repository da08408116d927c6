import fc from 'fast-check';
import type { Pod } from 'kubernetes-types/core/v1';
import { filterPod, LOCAL_STORAGE_REFUSAL, MULTIPLE_BUDGETS_MESSAGE, NO_CONTROLLER_REFUSAL, planDrain } from './drain.planner';
import { budget, controller, pod, type PodSpecOptions } from './pod.fixtures';

const ds = controller('DaemonSet', 'fluentd');
const web = controller('ReplicaSet', 'web', 3);

describe('filterPod: kubectl drain\'s filters, in kubectl\'s order', () => {
  it.each<[string, PodSpecOptions, object, object]>([
    ['a ReplicaSet pod is evicted', { owner: ['ReplicaSet', 'web'] }, {}, { kind: 'evict' }],
    ['a pod being deleted is skipped first, whatever else it is', { deleting: true, owner: ['DaemonSet', 'fluentd'], mirror: true }, {}, { kind: 'skip', reason: 'Terminating' }],
    ['a DaemonSet pod is left alone (--ignore-daemonsets)', { owner: ['DaemonSet', 'fluentd'] }, {}, { kind: 'skip', reason: 'DaemonSet' }],
    ['a DaemonSet pod wins over its emptyDir', { owner: ['DaemonSet', 'fluentd'], emptyDir: true }, {}, { kind: 'skip', reason: 'DaemonSet' }],
    ['an orphaned DaemonSet pod needs --force', { owner: ['DaemonSet', 'gone'] }, {}, { kind: 'refuse', reason: 'NoController', message: 'daemonsets.apps "gone" not found' }],
    ['an orphaned DaemonSet pod goes with --force', { owner: ['DaemonSet', 'gone'] }, { force: true }, { kind: 'evict' }],
    ['a finished DaemonSet pod may go', { owner: ['DaemonSet', 'fluentd'], phase: 'Succeeded' }, {}, { kind: 'evict' }],
    ['a mirror pod is skipped', { mirror: true }, {}, { kind: 'skip', reason: 'Mirror' }],
    ['a mirror pod is skipped even when finished and forced', { mirror: true, phase: 'Failed' }, { force: true }, { kind: 'skip', reason: 'Mirror' }],
    ['an emptyDir refuses before the missing controller', { emptyDir: true }, {}, { kind: 'refuse', reason: 'LocalStorage', message: LOCAL_STORAGE_REFUSAL }],
    ['an emptyDir with --delete-emptydir-data, no controller', { emptyDir: true }, { deleteEmptyDirData: true }, { kind: 'refuse', reason: 'NoController', message: NO_CONTROLLER_REFUSAL }],
    ['--force does not override local storage', { emptyDir: true, owner: ['ReplicaSet', 'web'] }, { force: true }, { kind: 'refuse', reason: 'LocalStorage', message: LOCAL_STORAGE_REFUSAL }],
    ['emptyDir with the flag and a controller', { emptyDir: true, owner: ['ReplicaSet', 'web'] }, { deleteEmptyDirData: true }, { kind: 'evict' }],
    ['a bare pod needs --force', {}, {}, { kind: 'refuse', reason: 'NoController', message: NO_CONTROLLER_REFUSAL }],
    ['a bare pod with --force', {}, { force: true }, { kind: 'evict' }],
    ['a finished bare pod with emptyDir passes every filter', { phase: 'Succeeded', emptyDir: true }, {}, { kind: 'evict' }],
    ['a failed bare pod passes too', { phase: 'Failed' }, {}, { kind: 'evict' }],
  ])('%s', (_, spec, options, verdict) => {
    expect(filterPod(pod('p', spec), { controllers: [ds, web], options })).toEqual(verdict);
  });

  it('without a controller list, a DaemonSet is taken to exist', () => {
    expect(filterPod(pod('p', { owner: ['DaemonSet', 'gone'] }))).toEqual({ kind: 'skip', reason: 'DaemonSet' });
  });
});

describe('planDrain', () => {
  const zkLabels = { app: 'zookeeper' };
  const zk = (i: number, ready = true): Pod => pod(`zk-${i}`, { labels: zkLabels, owner: ['StatefulSet', 'zk'], ready });
  const zkSts = controller('StatefulSet', 'zk', 3);
  const selector = { matchLabels: zkLabels };

  it('sorts a node\'s pods into the API\'s shape', () => {
    const pods = [
      pod('web-1', { owner: ['ReplicaSet', 'web'] }),
      pod('fluentd-x', { ns: 'kube-system', owner: ['DaemonSet', 'fluentd'] }),
      pod('kube-apiserver-n1', { ns: 'kube-system', mirror: true }),
      pod('cache', { owner: ['ReplicaSet', 'web'], emptyDir: true }),
      pod('debug'),
      pod('job-1', { phase: 'Succeeded', owner: ['Job', 'job'] }),
    ];
    expect(planDrain({ pods, controllers: [{ ...ds, namespace: 'kube-system' }, web] })).toEqual({
      evict: ['default/web-1', 'default/job-1'],
      skip: [{ pod: 'kube-system/fluentd-x', reason: 'DaemonSet' }, { pod: 'kube-system/kube-apiserver-n1', reason: 'Mirror' }],
      refuse: [
        { pod: 'default/cache', reason: 'LocalStorage', message: LOCAL_STORAGE_REFUSAL },
        { pod: 'default/debug', reason: 'NoController', message: NO_CONTROLLER_REFUSAL },
      ],
      blocked: [],
    });
  });

  it('the seed\'s StatefulSet of 3 with minAvailable 2: one eviction, then blocked (000:3764-3776)', () => {
    const plan = planDrain({ pods: [zk(0), zk(1), zk(2)], budgets: [budget('zk-pdb', { selector, minAvailable: 2 })], controllers: [zkSts] });
    expect(plan.evict).toEqual(['default/zk-0', 'default/zk-1', 'default/zk-2']);
    expect(plan.blocked).toEqual([
      { pod: 'default/zk-1', disruptionBudget: 'default/zk-pdb', needs: 2, has: 2, message: 'The disruption budget zk-pdb needs 2 healthy pods and has 2 currently' },
      { pod: 'default/zk-2', disruptionBudget: 'default/zk-pdb', needs: 2, has: 2, message: 'The disruption budget zk-pdb needs 2 healthy pods and has 2 currently' },
    ]);
  });

  it.each([
    ['maxUnavailable: 0 blocks every pod', { maxUnavailable: 0 }, ['zk-0', 'zk-1'], 3, 3],
    ['minAvailable: 100% blocks every pod', { minAvailable: '100%' }, ['zk-0', 'zk-1'], 3, 3],
    // 34% of 3 rounds up to 2 unavailable: both pods on the node may go
    ['maxUnavailable: 34% rounds up', { maxUnavailable: '34%' }, [], 1, 3],
    // minAvailable 50% of 3 rounds up to 2: only one may go
    ['minAvailable: 50% rounds up', { minAvailable: '50%' }, ['zk-1'], 2, 2],
  ])('%s', (_, spec, blockedPods, needs, has) => {
    const plan = planDrain({
      pods: [zk(0), zk(1)], namespacePods: [zk(0), zk(1), zk(2)], budgets: [budget('zk-pdb', { selector, ...spec })], controllers: [zkSts],
    });
    expect(plan.evict).toEqual(['default/zk-0', 'default/zk-1']);
    expect(plan.blocked.map((b) => b.pod)).toEqual(blockedPods.map((p) => `default/${p}`));
    for (const b of plan.blocked) expect([b.needs, b.has]).toEqual([needs, has]);
  });

  it('healthy pods on other nodes count towards the budget', () => {
    const pods = [zk(0)];
    const budgets = [budget('zk-pdb', { selector, minAvailable: 2 })];
    expect(planDrain({ pods, budgets, controllers: [zkSts] }).blocked).toHaveLength(1); // alone it has 1 of 2
    expect(planDrain({ pods, budgets, controllers: [zkSts], namespacePods: [zk(0), zk(1), zk(2)] }).blocked).toEqual([]);
  });

  it('two budgets over one pod: the eviction API refuses outright', () => {
    const budgets = [budget('zk-pdb', { selector, maxUnavailable: 1 }), budget('all-zk', { selector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] }, maxUnavailable: 1 })];
    const plan = planDrain({ pods: [zk(0)], namespacePods: [zk(0), zk(1), zk(2)], budgets, controllers: [zkSts] });
    expect(plan.blocked).toEqual([
      { pod: 'default/zk-0', disruptionBudget: 'default/zk-pdb', needs: 2, has: 3, message: MULTIPLE_BUDGETS_MESSAGE },
      { pod: 'default/zk-0', disruptionBudget: 'default/all-zk', needs: 2, has: 3, message: MULTIPLE_BUDGETS_MESSAGE },
    ]);
  });

  it('several budgets over different pods spend their own allowances', () => {
    const a = (i: number): Pod => pod(`a-${i}`, { labels: { app: 'a' }, owner: ['ReplicaSet', 'a'] });
    const b = (i: number): Pod => pod(`b-${i}`, { labels: { app: 'b' }, owner: ['ReplicaSet', 'b'] });
    const plan = planDrain({
      pods: [a(0), a(1), b(0), b(1)],
      namespacePods: [a(0), a(1), a(2), a(3), b(0), b(1)],
      budgets: [budget('a', { selector: { matchLabels: { app: 'a' } }, maxUnavailable: '50%' }), budget('b', { selector: { matchLabels: { app: 'b' } }, minAvailable: 1 })],
      controllers: [controller('ReplicaSet', 'a', 4), controller('ReplicaSet', 'b', 2)],
    });
    expect(plan.blocked).toEqual([{ pod: 'default/b-1', disruptionBudget: 'default/b', needs: 1, has: 1, message: 'The disruption budget b needs 1 healthy pods and has 1 currently' }]);
  });

  it('budgets of another namespace, or with an empty selector, do not guard the pod (eviction.go)', () => {
    const budgets = [budget('zk-pdb', { selector, maxUnavailable: 0 }, 'other'), budget('everything', { selector: {}, maxUnavailable: 0 })];
    expect(planDrain({ pods: [zk(0)], budgets, controllers: [zkSts] }).blocked).toEqual([]);
  });

  it('an unready pod may go while the budget is met (IfHealthyBudget), or always (AlwaysAllow)', () => {
    const pods = [zk(0, false)];
    const namespacePods = [zk(0, false), zk(1), zk(2)];
    const met = planDrain({ pods, namespacePods, budgets: [budget('zk-pdb', { selector, minAvailable: 2 })], controllers: [zkSts] });
    expect(met.blocked).toEqual([]);
    const unmet = planDrain({ pods, namespacePods, budgets: [budget('zk-pdb', { selector, minAvailable: 3 })], controllers: [zkSts] });
    expect(unmet.blocked.map((b) => [b.needs, b.has])).toEqual([[3, 2]]);
    const always = planDrain({ pods, namespacePods, budgets: [budget('zk-pdb', { selector, minAvailable: 3, unhealthyPodEvictionPolicy: 'AlwaysAllow' })], controllers: [zkSts] });
    expect(always.blocked).toEqual([]);
  });

  it('finished and Pending pods are deleted without asking the budget', () => {
    const pods = [pod('zk-0', { labels: zkLabels, owner: ['StatefulSet', 'zk'], phase: 'Failed' }), pod('zk-1', { labels: zkLabels, owner: ['StatefulSet', 'zk'], phase: 'Pending', ready: false })];
    expect(planDrain({ pods, budgets: [budget('zk-pdb', { selector, maxUnavailable: 0 })], controllers: [zkSts] }).blocked).toEqual([]);
  });

  it('uses a current budget status as the apiserver does', () => {
    const pdb = { ...budget('zk-pdb', { selector, minAvailable: 2 }), status: { currentHealthy: 2, desiredHealthy: 2, disruptionsAllowed: 0, expectedPods: 3, observedGeneration: 1 } };
    expect(planDrain({ pods: [zk(0)], budgets: [pdb] }).blocked).toEqual([
      { pod: 'default/zk-0', disruptionBudget: 'default/zk-pdb', needs: 2, has: 2, message: 'The disruption budget zk-pdb needs 2 healthy pods and has 2 currently' },
    ]);
  });

  it('names why a budget cannot be computed', () => {
    const plan = planDrain({ pods: [zk(0)], budgets: [budget('zk-pdb', { selector, maxUnavailable: 1 })] });
    expect(plan.blocked[0].message).toBe('The disruption budget zk-pdb needs 0 healthy pods and has 1 currently (found no controllers for pod "zk-0")');
  });
});

describe('planDrain properties', () => {
  const podArb = fc.record({
    ns: fc.constantFrom('default', 'team-a'),
    owner: fc.option(fc.tuple(fc.constantFrom('ReplicaSet', 'DaemonSet', 'StatefulSet', 'Job'), fc.constantFrom('a', 'b', 'gone')), { nil: undefined }),
    phase: fc.constantFrom('Running', 'Pending', 'Succeeded', 'Failed'),
    ready: fc.boolean(),
    labels: fc.constantFrom({}, { app: 'a' }, { app: 'b' }),
    emptyDir: fc.boolean(),
    mirror: fc.boolean(),
    deleting: fc.boolean(),
  }, { requiredKeys: [] });
  const input = fc.record({
    pods: fc.array(podArb, { maxLength: 12 }).map((specs) => specs.map((s, i) => pod(`p${i}`, s as PodSpecOptions))),
    budgets: fc.array(fc.record({
      app: fc.constantFrom('a', 'b'),
      bound: fc.oneof(fc.record({ minAvailable: fc.oneof(fc.nat(4), fc.constantFrom('0%', '50%', '100%')) }), fc.record({ maxUnavailable: fc.oneof(fc.nat(4), fc.constantFrom('0%', '34%', '100%')) })),
    }), { maxLength: 3 }).map((bs) => bs.map((b, i) => budget(`pdb${i}`, { selector: { matchLabels: { app: b.app } }, ...b.bound }))),
    options: fc.record({ force: fc.boolean(), deleteEmptyDirData: fc.boolean() }),
  });
  const controllers = ['ReplicaSet', 'DaemonSet', 'StatefulSet', 'Job'].flatMap((k) => ['default', 'team-a'].flatMap((ns) => [controller(k, 'a', 2, ns), controller(k, 'b', 3, ns)]))
    .map((c) => ({ ...c, uid: undefined }));

  it('every pod lands in exactly one of evict, skip or refuse; blocked pods are among evict', () => {
    fc.assert(fc.property(input, ({ pods, budgets, options }) => {
      const plan = planDrain({ pods, budgets, options, controllers });
      const placed = [...plan.evict, ...plan.skip.map((s) => s.pod), ...plan.refuse.map((r) => r.pod)].sort();
      expect(placed).toEqual(pods.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`).sort());
      for (const b of plan.blocked) expect(plan.evict).toContain(b.pod);
    }));
  });

  it('flags only ever let more pods go', () => {
    fc.assert(fc.property(input, ({ pods, budgets }) => {
      const strict = planDrain({ pods, budgets, controllers });
      const loose = planDrain({ pods, budgets, controllers, options: { force: true, deleteEmptyDirData: true } });
      expect(loose.refuse).toEqual([]);
      for (const p of strict.evict) expect(loose.evict).toContain(p);
      // An orphaned DaemonSet pod that --force lets through can still be skipped by a later filter.
      for (const s of strict.skip) expect(loose.skip).toContainEqual(s);
    }));
  });
});
