import { deployment, event, hellok8sReplicaSets, pod, replicaSet, running } from './kube.fixtures';
import type { Condition, Pod } from './kube-types';
import type { Finding } from '@bosun/contracts';
import { diagnose } from './pod-diagnosis';

// Findings about scheduling, pod creation and the Deployment itself, and the healthy verdict.
const NEW_POD = 'hellok8s-go-http-7c9d684dd-msj2c';
const rolledOut = () => deployment({ revision: 2 });
const only = (pods: Pod[], events = [event('Pod', 'unrelated', 'Pulled', 'ok', undefined, 'Normal')]): Finding[] =>
  diagnose({ deployment: rolledOut(), replicaSets: hellok8sReplicaSets(), pods, events }).findings;

describe('diagnose: scheduling and creation', () => {
  const pending = (conditions: Condition[] = []) => pod('cpu-demo-2', { phase: 'Pending', conditions });

  it('Unschedulable from the PodScheduled condition, in the scheduler’s words', () => {
    const p = pending([{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient cpu.' }]);
    expect(only([p])).toEqual([{ code: 'Unschedulable', pod: 'cpu-demo-2', message: '0/3 nodes are available: 3 Insufficient cpu.', hint: expect.stringContaining('(000:6342, 000:16705-16707)') }]);
  });

  it('Unschedulable from a FailedScheduling event (000:6342)', () => {
    const events = [event('Pod', 'cpu-demo-2', 'FailedScheduling', 'No nodes are available that match all of the following predicates:: Insufficient cpu (3).')];
    expect(only([pending()], events)).toMatchObject([{ code: 'Unschedulable', message: 'No nodes are available that match all of the following predicates:: Insufficient cpu (3).' }]);
  });

  it('an old FailedScheduling event on a pod that has since been scheduled is not a finding', () => {
    const p = pod('cpu-demo-2', { phase: 'Running', conditions: [{ type: 'PodScheduled', status: 'True' }], containerStatuses: [running()] });
    expect(only([p], [event('Pod', 'cpu-demo-2', 'FailedScheduling', '0/3 nodes are available: 3 Insufficient cpu.')])).toEqual([]);
  });

  const quotaMessage = 'pods "pod-quota-demo-1650323038-" is forbidden: exceeded quota: pod-demo, requested: pods=1, used: pods=2, limited: pods=2';
  const shortRs = (conditions?: Condition[]) => [
    ...hellok8sReplicaSets().slice(0, 2),
    replicaSet({ hash: '7c9d684dd', image: 'leigg/hellok8s:v2_problem', revision: 3, replicas: 3, available: 0, conditions }),
  ];
  const shortBy = (rs: ReturnType<typeof shortRs>) => { rs[2].status!.replicas = 2; return rs; };

  it('QuotaExceeded from the ReplicaSet’s ReplicaFailure condition and its FailedCreate event, once (000:1678-1682)', () => {
    const rs = shortBy(shortRs([{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: quotaMessage }]));
    const events = [event('ReplicaSet', 'hellok8s-go-http-7c9d684dd', 'FailedCreate', `Error creating: ${quotaMessage}`)];
    const { findings } = diagnose({ deployment: rolledOut(), replicaSets: rs, pods: [], events });
    expect(findings).toEqual([{ code: 'QuotaExceeded', message: quotaMessage, hint: expect.stringContaining('ResourceQuota') }]);
  });

  it('QuotaExceeded from an event alone, with the memory quota message of 000:1615-1617', () => {
    const message = 'pods "quota-mem-cpu-demo-2" is forbidden: exceeded quota: mem-cpu-demo, requested: requests.memory=700Mi,used: requests.memory=600Mi, limited: requests.memory=1Gi';
    const events = [event('ReplicaSet', 'hellok8s-go-http-7c9d684dd', 'FailedCreate', `Error creating: ${message}`)];
    const { findings } = diagnose({ deployment: rolledOut(), replicaSets: shortBy(shortRs()), pods: [], events });
    expect(findings).toEqual([{ code: 'QuotaExceeded', message, hint: expect.any(String) }]);
  });

  it('QuotaExceeded mirrored on the Deployment’s own ReplicaFailure condition', () => {
    const d = deployment({ revision: 2, conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: quotaMessage }] });
    expect(diagnose({ deployment: d, replicaSets: [] }).findings.map((f) => f.code)).toEqual(['QuotaExceeded']);
  });

  it('other creation refusals are FailedCreate', () => {
    const message = 'pods "hellok8s-go-http-7c9d684dd-x" is forbidden: maximum cpu usage per Container is 1, but limit is 2';
    const events = [event('ReplicaSet', 'hellok8s-go-http-7c9d684dd', 'FailedCreate', `Error creating: ${message}`)];
    expect(diagnose({ deployment: rolledOut(), replicaSets: shortBy(shortRs()), events }).findings).toEqual([{ code: 'FailedCreate', message, hint: expect.any(String) }]);
  });

  it('ignores FailedCreate events of a ReplicaSet that has all its pods now', () => {
    const events = [event('ReplicaSet', 'hellok8s-go-http-7c9d684dd', 'FailedCreate', `Error creating: ${quotaMessage}`)];
    expect(diagnose({ deployment: rolledOut(), replicaSets: shortRs(), events }).findings).toEqual([]);
  });

  it('Evicted pods', () => {
    const p = pod('evicted', { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' });
    expect(only([p])).toEqual([{ code: 'Evicted', pod: 'evicted', message: 'The node was low on resource: memory.', hint: expect.any(String) }]);
  });
});

describe('diagnose: the Deployment and the verdict', () => {
  const crashing = pod(NEW_POD, {
    phase: 'Running',
    containerStatuses: [{ name: 'hellok8s', ready: false, restartCount: 5, state: { waiting: { reason: 'CrashLoopBackOff' } } }],
  });

  it('ProgressDeadlineExceeded from the Progressing condition, before the pod findings (004:1350-1379)', () => {
    const d = deployment({
      image: 'leigg/hellok8s:v2_problem',
      revision: 3,
      status: {
        observedGeneration: 1, replicas: 4, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 3,
        conditions: [
          { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
          { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "hellok8s-go-http-7c9d684dd" has timed out progressing.' },
        ],
      },
    });
    const result = diagnose({ deployment: d, replicaSets: hellok8sReplicaSets(), pods: [crashing] });
    expect(result.healthy).toBe(false);
    expect(result.findings.map((f) => f.code)).toEqual(['ProgressDeadlineExceeded', 'CrashLoopBackOff']);
    expect(result.findings[0]).toEqual({
      code: 'ProgressDeadlineExceeded',
      message: 'ReplicaSet "hellok8s-go-http-7c9d684dd" has timed out progressing.',
      hint: expect.stringContaining('progressDeadlineSeconds (default 600 s)'),
    });
  });

  it('healthy: rollout complete and nothing found', () => {
    const pods = [pod('a', { phase: 'Running', containerStatuses: [running()] }), pod('b', { phase: 'Running', containerStatuses: [running()] })];
    expect(diagnose({ deployment: rolledOut(), replicaSets: hellok8sReplicaSets(), pods })).toEqual({ healthy: true, findings: [] });
  });

  it('not healthy while the rollout is still going, even with nothing wrong yet', () => {
    const d = deployment({ status: { observedGeneration: 1, replicas: 4, updatedReplicas: 2, availableReplicas: 3 } });
    expect(diagnose({ deployment: d })).toEqual({ healthy: false, findings: [] });
  });

  it('ignores terminating and succeeded pods', () => {
    const leaving = { ...crashing, metadata: { ...crashing.metadata, deletionTimestamp: '2023-08-13T13:12:00Z' } };
    const finished = pod('job-like', { phase: 'Succeeded', containerStatuses: [{ name: 'x', ready: false, state: { terminated: { exitCode: 1 } } }] });
    expect(diagnose({ deployment: rolledOut(), pods: [leaving, finished] })).toEqual({ healthy: true, findings: [] });
  });

  it('reads events.k8s.io/v1 events too (regarding/note)', () => {
    const p = pod('v1-events', { phase: 'Running', containerStatuses: [running('hellok8s', false)] });
    const events = [{ regarding: { kind: 'Pod', name: 'v1-events' }, reason: 'Unhealthy', note: 'Readiness probe failed: HTTP probe failed with statuscode: 503', eventTime: new Date('2023-08-13T13:12:00Z') }];
    expect(only([p], events)[0].message).toBe('Readiness probe failed: HTTP probe failed with statuscode: 503');
  });

  it('reports one finding per failing container, across pods', () => {
    const twoContainers = pod('multi', {
      phase: 'Running',
      containerStatuses: [running('app', false), { name: 'sidecar', ready: false, state: { waiting: { reason: 'ImagePullBackOff' } } }],
    }, [{ name: 'app', image: 'app:1' }, { name: 'sidecar', image: 'envoy:1' }]);
    expect(only([twoContainers, crashing]).map((f) => `${f.pod}/${f.container}:${f.code}`)).toEqual([
      'multi/app:NotReady', 'multi/sidecar:ImagePullBackOff', `${NEW_POD}/hellok8s:CrashLoopBackOff`,
    ]);
  });
});
