import { DrainState, describeBlocks } from './drain.state';
import type { PodObject } from './node.reader';

const pod = (name: string, uid = `${name}-1`): PodObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns', uid } });
const plan = (evict: string[]): Parameters<DrainState['due']>[0] => ({ evict: evict.map((n) => `ns/${n}`), skip: [{ pod: 'ns/ds', reason: 'DaemonSet' }], refuse: [], blocked: [] });
const block = (name: string, message = 'The disruption budget pdb needs 1 healthy pods and has 1 currently') =>
  ({ pod: `ns/${name}`, disruptionBudget: 'ns/pdb', needs: 1, has: 1, message });

describe('DrainState', () => {
  it('evicts each pod once by uid, and a namesake (new uid) again', () => {
    const s = new DrainState();
    const a = pod('a');
    expect(s.due(plan(['a', 'b']), [a, pod('b')], 0).map((p) => p.metadata.name)).toEqual(['a', 'b']);
    s.accepted(a);
    expect(s.due(plan(['a', 'b']), [a, pod('b')], 0).map((p) => p.metadata.name)).toEqual(['b']);
    expect(s.due(plan(['a']), [pod('a', 'a-2')], 0).map((p) => p.metadata.uid)).toEqual(['a-2']);
  });

  it('backs off a blocked pod, reports a refusal once until its words change, and forgets it once accepted', () => {
    const s = new DrainState();
    expect(s.refused(block('a'), 1000)).toBe(true);
    expect(s.refused(block('a'), 1000)).toBe(false);
    expect(s.due(plan(['a']), [pod('a')], 1000)).toEqual([]);
    expect(s.due(plan(['a']), [pod('a')], 1000 + 60_000)).toHaveLength(1);
    expect(s.refused(block('a', 'The disruption budget pdb needs 1 healthy pods and has 0 currently'), 2000)).toBe(true);
    s.accepted(pod('a'));
    expect(s.blocked.size).toBe(0);
    expect(s.everBlocked.size).toBe(1);
  });

  it('sweeps pods we evicted that left the node; the result lists them, and blocks with or without counts', () => {
    const s = new DrainState();
    s.accepted(pod('a'));
    s.accepted(pod('b'));
    expect(s.sweep([pod('b')])).toEqual(['ns/a']);
    expect(s.leaving()).toEqual(['ns/b']);
    expect(s.sweep([pod('b', 'b-2')])).toEqual(['ns/b']);
    s.refused(block('c'), 0);
    expect(s.result('n1', plan([]), true)).toEqual({ node: 'n1', evicted: ['ns/a', 'ns/b'], blocked: [block('c')], skipped: [{ pod: 'ns/ds', reason: 'DaemonSet' }] });
    expect(s.result('n1', plan([]), false).blocked).toEqual([{ pod: 'ns/c', disruptionBudget: 'ns/pdb' }]);
  });

  it('describes each block with its budget and counts', () => {
    expect(describeBlocks([block('a'), { ...block('b'), disruptionBudget: '' }])).toBe(
      'ns/a by PodDisruptionBudget ns/pdb (needs 1 healthy pods, has 1); ns/b by PodDisruptionBudget (unknown) (needs 1 healthy pods, has 1)',
    );
  });
});
