import { findOrphans } from './orphan.detector';
import type { StatefulSet } from './kube-types';
import { pod, pv, pvc } from './storage.fixtures';

const sts = (name: string, replicas: number, templates = ['stateful-data']): StatefulSet => ({
  metadata: { name, namespace: 'default' },
  spec: { replicas, serviceName: name, selector: {}, template: {}, volumeClaimTemplates: templates.map((t) => ({ metadata: { name: t } })) },
});

describe('findOrphans: claims', () => {
  it('a claim a running pod mounts is not an orphan; one nobody mounts is', () => {
    const report = findOrphans({ claims: [pvc('used'), pvc('unused')], pods: [pod('p', ['used'], { node: 'n1' })] });
    expect(report.claims).toEqual([{ namespace: 'default', name: 'unused', size: '500Mi', reason: 'no pod mounts it' }]);
  });

  it('a generic ephemeral volume’s claim <pod>-<volume> is used by its pod', () => {
    const p = { ...pod('builder', [], { node: 'n1' }), spec: { containers: [{ name: 'c' }], volumes: [{ name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: {} } } }] } };
    expect(findOrphans({ claims: [pvc('builder-scratch')], pods: [p] }).claims).toEqual([]);
  });

  it('a finished pod does not count as using it', () => {
    expect(findOrphans({ claims: [pvc('c')], pods: [pod('job', ['c'], { node: 'n1', phase: 'Succeeded' })] }).claims).toHaveLength(1);
  });

  it('a pod of another namespace does not count', () => {
    expect(findOrphans({ claims: [pvc('c')], pods: [pod('p', ['c'], { namespace: 'other', node: 'n' })] }).claims).toHaveLength(1);
  });

  it('the seed’s StatefulSet scaled from 2 to 1 keeps stateful-data-statefulset-1 (004:3443, 3481)', () => {
    const report = findOrphans({
      claims: [pvc('stateful-data-statefulset-0', { volumeName: 'pv-hostpath-0' }), pvc('stateful-data-statefulset-1', { volumeName: 'pv-hostpath-1' })],
      pods: [],
      statefulSets: [sts('statefulset', 1)],
    });
    expect(report.claims).toEqual([{
      namespace: 'default', name: 'stateful-data-statefulset-1', volume: 'pv-hostpath-1', size: '500Mi',
      statefulSet: { name: 'statefulset', template: 'stateful-data', ordinal: 1, exists: true },
      reason: 'no pod mounts it: StatefulSet statefulset has 1 replicas and kept this claim of ordinal 1 when it scaled down',
    }]);
  });

  it('a deleted StatefulSet keeps its claims (004:3481; 000:13102-13152)', () => {
    const report = findOrphans({
      claims: [pvc('data-web-0'), pvc('data-web-x'), pvc('data-webby-0')],
      pods: [],
      formerStatefulSets: [{ namespace: 'default', name: 'web', templates: ['data'] }],
    });
    expect(report.claims.map((c) => [c.name, c.statefulSet?.name, c.statefulSet?.exists])).toEqual([
      ['data-web-0', 'web', false], ['data-web-x', undefined, undefined], ['data-webby-0', undefined, undefined],
    ]);
    expect(report.claims[0].reason).toBe('no pod mounts it: StatefulSet web is gone and its claims are kept (004:3481)');
  });

  it('a StatefulSet named in the claim’s ownerReferences (retention policy) that is gone', () => {
    const claim = { ...pvc('www-web-2'), metadata: { ...pvc('www-web-2').metadata, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u' }] } };
    expect(findOrphans({ claims: [claim], pods: [] }).claims[0].statefulSet).toEqual({ name: 'web', template: 'www', ordinal: 2, exists: false });
  });

  it('a live StatefulSet’s claim within its replicas waits for its pod: not an orphan', () => {
    expect(findOrphans({ claims: [pvc('stateful-data-statefulset-0')], pods: [], statefulSets: [sts('statefulset', 2)] }).claims).toEqual([]);
  });

  it('a namespace filter', () => {
    const report = findOrphans({ claims: [pvc('a'), pvc('b', { namespace: 'team' })], pods: [], namespace: 'team' });
    expect(report.claims.map((c) => c.name)).toEqual(['b']);
  });
});

describe('findOrphans: volumes', () => {
  it('Released volumes nobody can reuse until released; Available and Bound ones are not orphans', () => {
    const report = findOrphans({
      claims: [], pods: [],
      volumes: [pv('free'), pv('held', { phase: 'Bound', claimRef: { name: 'c', uid: 'u' } }), pv('left', { phase: 'Released', claimRef: { name: 'gone', uid: 'u2' } })],
    });
    expect(report.volumes).toEqual([{
      name: 'left', capacity: '1Gi', claim: 'default/gone', reclaimPolicy: 'Retain',
      reason: 'Released by claim default/gone: it keeps its data but binds no claim until released (remove spec.claimRef) or deleted',
    }]);
  });
});
