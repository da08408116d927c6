import type { DrainPlan } from '@bosun/contracts';
import { eventually, uniqueName } from '@bosun/testing';
import { inPool, ProvisionerHarness } from '../testing/provisioner.harness';
import type { Json } from '../testing/provisioner.harness';

// Drain against the real Eviction API on two kwok nodes of this file's own (tainted, so no
// one else's pods are there): a ReplicaSet's pods come back on the other node, the DaemonSet
// pod stays, a bare pod needs force, a maxUnavailable: 0 budget fails the drain DrainBlocked
// naming it, and the dry run changes nothing. Nodes are uncordoned in a finally.
let h: ProvisionerHarness;
let ns: string;
let a: string;
let b: string;
const pool = uniqueName('pool');
const labels = (app: string): Record<string, string> => ({ app });

const deployment = (name: string, replicas: number): Json => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns },
  spec: { replicas, selector: { matchLabels: labels(name) }, template: { metadata: { labels: labels(name) }, spec: { ...inPool(pool), containers: [{ name: 'app', image: 'nginx:1.27' }] } } },
});
const cordoned = (node: string, unschedulable: boolean): Promise<unknown> => h.admin.patch({ apiVersion: 'v1', kind: 'Node', name: node }, { spec: { unschedulable } }, 'merge');
const podsOn = async (node: string): Promise<Json[]> => h.list('v1', 'Pod', ns, undefined, `spec.nodeName=${node}`);
const key = (p: Json): string => `${ns}/${p.metadata.name}`;
const ready = (p: Json): boolean => !p.metadata.deletionTimestamp && (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
const app = (pods: Json[], name: string): Json[] => pods.filter((p) => p.metadata.labels?.app === name);
const uncordon = async (node: string): Promise<void> => {
  await h.succeeded(await h.command('node-uncordon', { name: node }));
};

beforeAll(async () => {
  h = await ProvisionerHarness.create();
  await h.start();
  ns = await h.namespace('prov-drain');
  [a, b] = await Promise.all([h.node('prov-drain-a', pool), h.node('prov-drain-b', pool)]);
  await cordoned(b, true);
  await h.admin.apply(deployment('web', 3));
  await h.admin.apply(deployment('guarded', 1));
  await h.admin.apply({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'guarded', namespace: ns }, spec: { maxUnavailable: 0, selector: { matchLabels: labels('guarded') } } });
  await h.admin.apply({
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: ns },
    spec: { selector: { matchLabels: labels('agent') }, template: { metadata: { labels: labels('agent') }, spec: { ...inPool(pool), containers: [{ name: 'agent', image: 'busybox' }] } } },
  });
  await h.admin.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bare', namespace: ns, labels: labels('bare') }, spec: { ...inPool(pool), nodeName: a, containers: [{ name: 'app', image: 'nginx:1.27' }] } });
  await eventually(async () => {
    const pods = (await podsOn(a)).filter(ready);
    return ['web', 'guarded', 'agent', 'bare'].map((n) => app(pods, n).length).join() === '3,1,1,1' ? true : undefined;
  }, 'pods ready on node a', 60_000);
  await eventually(async () => {
    const pdb = await h.get('policy/v1', 'PodDisruptionBudget', ns, 'guarded');
    return pdb?.status?.observedGeneration >= 1 && pdb?.status.currentHealthy === 1 && pdb?.status.disruptionsAllowed === 0 ? true : undefined;
  }, 'the budget status');
  await cordoned(b, false);
}, 120_000);
afterAll(async () => {
  await Promise.all([a, b].filter(Boolean).map((n) => cordoned(n, false).catch(() => undefined)));
  await h?.close();
}, 60_000);

describe('provisioner: drain (real Eviction API, PodDisruptionBudgets, kwok nodes)', () => {
  it('dry run: the plan with the apiserver\'s budget check, and nothing changes', async () => {
    const before = await podsOn(a);
    const reply = await h.query<DrainPlan>('drain-plan', { name: a, dryRun: true });
    if (!reply.ok) throw new Error(JSON.stringify(reply.error));
    const plan = reply.value;
    const guarded = app(before, 'guarded')[0];
    expect([...plan.evict].sort()).toEqual([...app(before, 'web'), guarded].map(key).sort());
    expect(plan.skip).toEqual([{ pod: key(app(before, 'agent')[0]), reason: 'DaemonSet' }]);
    expect(plan.refuse).toEqual([{ pod: `${ns}/bare`, reason: 'NoController', message: 'cannot delete Pods that declare no controller (use --force to override)' }]);
    expect(plan.blocked).toEqual([{
      pod: key(guarded), disruptionBudget: `${ns}/guarded`, needs: 1, has: 1, message: 'The disruption budget guarded needs 1 healthy pods and has 1 currently',
    }]);
    const after = await podsOn(a);
    expect(after.map((p) => p.metadata.uid).sort()).toEqual(before.map((p) => p.metadata.uid).sort());
    expect(after.every((p) => !p.metadata.deletionTimestamp)).toBe(true);
    expect((await h.get('v1', 'Node', undefined, a))?.spec.unschedulable).toBeFalsy();
  }, 30_000);

  it('refuses a bare pod without force: DrainRefused with kubectl\'s words, node not cordoned, nothing evicted', async () => {
    const before = (await podsOn(a)).map((p) => p.metadata.uid).sort();
    try {
      const op = await h.command('node-drain', { name: a, timeoutSeconds: 10 });
      expect((await h.terminal(op)).error).toEqual({
        code: 'DrainRefused', message: `cannot drain node "${a}": cannot delete Pods that declare no controller (use --force to override): ${ns}/bare`,
      });
      expect((await h.get('v1', 'Node', undefined, a))?.spec.unschedulable).toBeFalsy();
      expect((await podsOn(a)).map((p) => p.metadata.uid).sort()).toEqual(before);
    } finally {
      await uncordon(a);
    }
  }, 30_000);

  it('with force and a maxUnavailable: 0 budget: evicts the rest, reports each pod, fails DrainBlocked naming the budget; the ReplicaSet brings its pods back on the other node', async () => {
    const before = await podsOn(a);
    const guarded = key(app(before, 'guarded')[0]);
    const web = app(before, 'web').map(key);
    try {
      const op = await h.command('node-drain', { name: a, force: true, timeoutSeconds: 8 });
      const failed = await h.terminal(op, 30_000);
      expect(failed.error).toEqual({
        code: 'DrainBlocked',
        message: `drain of node "${a}" did not finish within 8 s: ${guarded} by PodDisruptionBudget ${ns}/guarded (needs 1 healthy pods, has 1)`,
      });
      expect(failed.result).toMatchObject({
        node: a, blocked: [{ pod: guarded, disruptionBudget: `${ns}/guarded`, needs: 1, has: 1, message: 'The disruption budget guarded needs 1 healthy pods and has 1 currently' }],
        skipped: [{ reason: 'DaemonSet' }],
      });
      expect([...(failed.result?.evicted as string[])].sort()).toEqual([...web, `${ns}/bare`].sort());
      const messages = h.of(op, 'progressed').map((e) => e.progress?.message);
      for (const pod of [...web, `${ns}/bare`]) {
        expect(messages).toContain(`${pod} evicted`);
        expect(messages).toContain(`${pod} gone`);
      }
      expect(messages).toContain(`${guarded} blocked: The disruption budget guarded needs 1 healthy pods and has 1 currently`);
      expect(messages).toContain(`${key(app(before, 'agent')[0])} left alone (DaemonSet)`);
      expect((await h.get('v1', 'Node', undefined, a))?.spec.unschedulable).toBe(true);
      const left = await podsOn(a);
      expect(left.map((p) => p.metadata.labels.app).sort()).toEqual(['agent', 'guarded']);
      await eventually(async () => (app((await podsOn(b)).filter(ready), 'web').length === 3 ? true : undefined), 'web back on node b', 60_000);
    } finally {
      await uncordon(a);
    }
  }, 90_000);

  it('cancel: a drain waiting on a budget stops at once and reports nothing more (the node stays cordoned until uncordoned)', async () => {
    try {
      const op = await h.command('node-drain', { name: a, timeoutSeconds: 60 });
      await eventually(() => (h.of(op, 'progressed').some((e) => e.progress?.message.includes('blocked')) ? true : undefined), 'the drain blocked', 20_000);
      expect(await h.cancel(op)).toMatchObject({ outcome: 'too-late' });
      // The kit may answer `succeeded` (no result) for a moment while the job completes; its final word is Cancelled.
      const status = await eventually(async () => {
        const r = await h.query<{ state: string; error?: { code: string } }>('operation-status', { operationId: op });
        return r.ok && r.value.state === 'failed' ? r.value : undefined;
      }, 'the drain job ended as cancelled', 15_000);
      expect(status).toMatchObject({ state: 'failed', error: { code: 'Cancelled' } });
      await new Promise((r) => setTimeout(r, 500));
      expect(h.of(op).filter((e) => e.type === 'succeeded' || e.type === 'failed')).toEqual([]);
      expect(app(await podsOn(a), 'guarded')).toHaveLength(1);
    } finally {
      await uncordon(a);
    }
  }, 60_000);

  it('hand-over: a drain held by the budget on one replica resumes on another, and succeeds with {evicted, blocked} once the budget goes', async () => {
    const before = await podsOn(a);
    const guarded = key(app(before, 'guarded')[0]);
    const first = h.instances[0];
    try {
      const op = await h.command('node-drain', { name: a, timeoutSeconds: 90 });
      const count = (text: string): number => h.of(op, 'progressed').filter((e) => e.progress?.message.includes(text)).length;
      await eventually(() => (count('blocked') >= 1 ? true : undefined), 'held by the budget', 20_000);
      await h.start();
      await h.stop(first);
      // The job came back to the queue untouched; the other replica re-reads the node and is held again.
      await eventually(() => (count('cordoned') >= 2 && count('blocked') >= 2 ? true : undefined), 'resumed on the second replica', 30_000);
      expect(h.of(op, 'started').length).toBeGreaterThanOrEqual(1);
      await h.admin.delete({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', namespace: ns, name: 'guarded' });
      const done = await h.succeeded(op, 90_000);
      expect(done.result).toEqual({
        node: a, evicted: [guarded], blocked: [{ pod: guarded, disruptionBudget: `${ns}/guarded` }], skipped: [{ pod: key(app(before, 'agent')[0]), reason: 'DaemonSet' }],
      });
      expect(h.of(op, 'failed')).toEqual([]);
      expect((await podsOn(a)).map((p) => p.metadata.labels.app)).toEqual(['agent']);
      await eventually(async () => (app((await podsOn(b)).filter(ready), 'guarded').length === 1 ? true : undefined), 'guarded back on node b', 60_000);
      expect(h.of(op, 'progressed').at(-1)?.progress).toEqual({ current: 1, total: 1, message: `${guarded} gone` });
    } finally {
      await uncordon(a);
    }
  }, 150_000);

  it('bad input is Invalid naming the field; an unknown node is NotFound', async () => {
    try {
      await badInput();
    } finally {
      await uncordon(a);
    }
  }, 30_000);
});

/** Refused at acceptance or by the cluster, before any cordon. */
const badInput = async (): Promise<void> => {
  const zero = await h.command('node-drain', { name: a, timeoutSeconds: 0 });
  expect((await h.terminal(zero)).error).toMatchObject({ code: 'Invalid', message: expect.stringContaining('timeoutSeconds: timeoutSeconds must be at least 1') });
  const typo = await h.command('node-drain', { name: a, forcee: true });
  expect((await h.terminal(typo)).error).toMatchObject({ code: 'Invalid', message: expect.stringContaining('forcee') });
  expect(h.of(typo, 'started')).toEqual([]);
  expect(await h.query('drain-plan', { name: a, force: 'yes' })).toMatchObject({ ok: false, error: { code: 'Invalid', fieldErrors: [{ path: 'force' }] } });
  expect(await h.query('drain-plan', { name: 'prov-no-such-node' })).toEqual({ ok: false, error: { code: 'NotFound', message: 'nodes "prov-no-such-node" not found' } });
  const missing = await h.command('node-drain', { name: 'prov-no-such-node', timeoutSeconds: 5 });
  expect((await h.terminal(missing)).error).toEqual({ code: 'NotFound', message: 'nodes "prov-no-such-node" not found' });
  expect((await h.get('v1', 'Node', undefined, a))?.spec.unschedulable).toBeFalsy();
};
