import { toDeploymentView } from './deployment.view';
import { deployment, hellok8sReplicaSets, replicaSet } from './kube.fixtures';
import { history, newReplicaSet, ownedReplicaSets, revisionOf } from './revision-history';

describe('history (004:1312-1334, 1386-1416, 1448)', () => {
  it('lists the revisions oldest first, with change causes and images', () => {
    // 004:1396-1401: REVISION 1 <none>, 2 "image updated to v2", 3 <none>
    const d = deployment({ image: 'leigg/hellok8s:v2_problem', revision: 3 });
    expect(history(d, [...hellok8sReplicaSets()].reverse())).toEqual([
      { revision: 1, images: ['leigg/hellok8s:v1'], createdAt: '2023-08-13T13:09:33Z' },
      { revision: 2, changeCause: 'image updated to v2', images: ['leigg/hellok8s:v2'], createdAt: '2023-08-13T13:11:00Z' },
      { revision: 3, images: ['leigg/hellok8s:v2_problem'], createdAt: '2023-08-13T13:11:44Z' },
    ]);
  });

  it('after `rollout undo` to 2, the v2 ReplicaSet is revision 4: the list reads 1, 3, 4', () => {
    const [v1, v2, problem] = hellok8sReplicaSets();
    v2.metadata!.annotations!['deployment.kubernetes.io/revision'] = '4';
    v2.metadata!.annotations!['deployment.kubernetes.io/revision-history'] = '2';
    expect(history(deployment({ revision: 4 }), [v1, v2, problem]).map((h) => [h.revision, h.images[0]])).toEqual([
      [1, 'leigg/hellok8s:v1'],
      [3, 'leigg/hellok8s:v2_problem'],
      [4, 'leigg/hellok8s:v2'],
    ]);
  });

  it('keeps ReplicaSets of other Deployments (by owner uid) and ones without a revision out', () => {
    const rs = [
      ...hellok8sReplicaSets(),
      replicaSet({ hash: 'aaaaaaaaaa', image: 'other:1', revision: 9, ownerUid: 'another-uid' }),
      replicaSet({ hash: 'bbbbbbbbbb', image: 'other:2' }),
      replicaSet({ hash: 'cccccccccc', image: 'other:3', extraAnnotations: { 'deployment.kubernetes.io/revision': 'x1' } }),
    ];
    expect(history(deployment(), rs).map((h) => h.revision)).toEqual([1, 2, 3]);
  });

  it('turns Date timestamps (the client library’s) into ISO strings', () => {
    const rs = [replicaSet({ hash: '55cfd74847', image: 'a:1', revision: 1, created: new Date('2023-08-13T13:09:33Z') })];
    expect(history(deployment(), rs)[0].createdAt).toBe('2023-08-13T13:09:33.000Z');
  });

  it('is empty for a Deployment without a uid or without ReplicaSets', () => {
    const d = deployment();
    expect(history(d, [])).toEqual([]);
    delete d.metadata!.uid;
    expect(history(d, hellok8sReplicaSets())).toEqual([]);
  });
});

describe('revisionOf', () => {
  it.each([
    [{ 'deployment.kubernetes.io/revision': '1' }, 1],
    [{ 'deployment.kubernetes.io/revision': '42' }, 42],
    [{ 'deployment.kubernetes.io/revision': '0' }, undefined],
    [{ 'deployment.kubernetes.io/revision': '-1' }, undefined],
    [{ 'deployment.kubernetes.io/revision': '1.5' }, undefined],
    [{ 'deployment.kubernetes.io/revision': '' }, undefined],
    [{}, undefined],
  ])('%j → %s', (annotations, revision) => {
    expect(revisionOf({ annotations })).toBe(revision);
  });
});

describe('ownedReplicaSets / newReplicaSet', () => {
  it('ignores owner references that are not the controller', () => {
    const rs = replicaSet({ hash: '55cfd74847', image: 'a:1', revision: 1 });
    rs.metadata!.ownerReferences![0].controller = false;
    expect(ownedReplicaSets(deployment(), [rs])).toEqual([]);
  });

  it('finds the ReplicaSet whose template matches, ignoring pod-template-hash', () => {
    const d = deployment({ image: 'leigg/hellok8s:v2', revision: 2 });
    expect(newReplicaSet(d, hellok8sReplicaSets())?.metadata?.name).toBe('hellok8s-go-http-668c7f75bd');
  });

  it('falls back to the revision annotation when no template matches', () => {
    const d = deployment({ image: 'leigg/hellok8s:v9', revision: 1 });
    expect(newReplicaSet(d, hellok8sReplicaSets())?.metadata?.name).toBe('hellok8s-go-http-55cfd74847');
    expect(newReplicaSet(deployment({ image: 'leigg/hellok8s:v9' }), hellok8sReplicaSets())).toBeUndefined();
  });
});

describe('toDeploymentView', () => {
  it('shows what kubectl describe shows (000:12413-12436)', () => {
    const d = deployment({
      revision: 1,
      replicas: 2,
      image: 'nginx:1.14.2',
      conditions: [
        { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', lastTransitionTime: new Date('2016-08-31T01:11:37Z') },
        { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: 'ReplicaSet "nginx-deployment-1771418926" has successfully progressed.' },
      ],
    });
    d.metadata!.name = 'nginx-deployment';
    expect(toDeploymentView(d)).toEqual({
      namespace: 'default',
      name: 'nginx-deployment',
      images: ['nginx:1.14.2'],
      revision: 1,
      paused: false,
      replicas: { desired: 2, updated: 2, ready: 2, available: 2 },
      conditions: [
        { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
        { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: 'ReplicaSet "nginx-deployment-1771418926" has successfully progressed.' },
      ],
      rollout: { state: 'complete', message: 'deployment "nginx-deployment" successfully rolled out' },
    });
  });

  it('reports revision 0, paused and the rollout state of a fresh, paused Deployment', () => {
    const view = toDeploymentView({ metadata: { name: 'x', namespace: 'y', generation: 1 }, spec: { paused: true, selector: {}, template: {} } });
    expect(view).toMatchObject({
      revision: 0,
      paused: true,
      images: [],
      replicas: { desired: 1, updated: 0, ready: 0, available: 0 },
      conditions: [],
      rollout: { state: 'progressing', message: 'Waiting for deployment spec update to be observed...' },
    });
  });
});
