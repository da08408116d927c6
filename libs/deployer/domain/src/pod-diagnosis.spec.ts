import type { Finding } from '@bosun/contracts';
import { deployment, event, hellok8sReplicaSets, pod, replicaSet, running } from './kube.fixtures';
import type { Condition, Pod } from './kube-types';
import { diagnose } from './pod-diagnosis';

const NEW_POD = 'hellok8s-go-http-7c9d684dd-msj2c';
const rolledOut = () => deployment({ revision: 2 });
const only = (pods: Pod[], events = [event('Pod', 'unrelated', 'Pulled', 'ok', undefined, 'Normal')]): Finding[] =>
  diagnose({ deployment: rolledOut(), replicaSets: hellok8sReplicaSets(), pods, events }).findings;

describe('diagnose: containers', () => {
  it('CrashLoopBackOff, with the last exit code and termination message (004:1366-1370, 000:16996-17020)', () => {
    const p = pod(NEW_POD, {
      phase: 'Running',
      containerStatuses: [{
        name: 'hellok8s', image: 'leigg/hellok8s:v2_problem', ready: false, restartCount: 1,
        state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off 10s restarting failed container=hellok8s pod=${NEW_POD}_default(5b1e)` } },
        lastState: { terminated: { exitCode: 2, reason: 'Error', message: 'panic: something went wrong\n' } },
      }],
    });
    expect(only([p])).toEqual([{
      code: 'CrashLoopBackOff',
      pod: NEW_POD,
      container: 'hellok8s',
      message: `back-off 10s restarting failed container=hellok8s pod=${NEW_POD}_default(5b1e); last exit code 2 (Error): panic: something went wrong`,
      hint: expect.stringContaining('10 s, doubling to 5 min, reset after 10 min of running (004:1136)'),
    }]);
  });

  it('CrashLoopBackOff caused by a failing liveness probe says so (004:1568)', () => {
    const p = pod('liveness-pod', {
      phase: 'Running',
      containerStatuses: [running('hellok8s', false, {
        restartCount: 4,
        state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container' } },
        lastState: { terminated: { exitCode: 137, reason: 'Error' } },
      })],
    });
    const [f] = only([p], [event('Pod', 'liveness-pod', 'Unhealthy', 'Liveness probe failed: HTTP probe failed with statuscode: 500')]);
    expect(f.code).toBe('CrashLoopBackOff');
    expect(f.message).toBe('back-off 40s restarting failed container; last exit code 137 (Error); Liveness probe failed: HTTP probe failed with statuscode: 500');
    expect(f.hint).toContain('liveness probe fails');
  });

  it('a container restarted by its liveness probe between restarts: LivenessProbeFailed (004:1556-1568)', () => {
    const p = pod('hellok8s-go-http-7d948dfc79-wpk2d', { phase: 'Running', containerStatuses: [running('hellok8s', true, { restartCount: 2 })] });
    const events = [
      event('Pod', 'hellok8s-go-http-7d948dfc79-wpk2d', 'Killing', 'Container hellok8s failed liveness probe, will be restarted', '2023-08-13T13:12:00Z', 'Normal'),
      event('Pod', 'hellok8s-go-http-7d948dfc79-wpk2d', 'Unhealthy', 'Liveness probe failed: HTTP probe failed with statuscode: 500', '2023-08-13T13:12:18Z'),
    ];
    expect(only([p], events)).toEqual([{
      code: 'LivenessProbeFailed',
      pod: 'hellok8s-go-http-7d948dfc79-wpk2d',
      container: 'hellok8s',
      message: 'Liveness probe failed: HTTP probe failed with statuscode: 500; 2 restarts',
      hint: expect.stringContaining('(004:1568)'),
    }]);
  });

  it.each([
    ['ImagePullBackOff', 'Back-off pulling image "leigg/hellok8s:v9"'],
    ['ErrImagePull', 'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/leigg/hellok8s:v9": not found'],
    ['ErrImageNeverPull', 'Container image "leigg/hellok8s:v9" is not present with pull policy of Never'],
  ])('%s → ImagePullBackOff, with the kubelet’s pull error (001:156-167)', (reason, message) => {
    const p = pod('pull-pod', {
      phase: 'Pending',
      containerStatuses: [{ name: 'hellok8s', image: 'leigg/hellok8s:v9', ready: false, restartCount: 0, state: { waiting: { reason, message } } }],
    });
    const failed = event('Pod', 'pull-pod', 'Failed', 'Failed to pull image "leigg/hellok8s:v9": rpc error: code = NotFound desc = not found');
    expect(only([p], [failed])).toEqual([{
      code: 'ImagePullBackOff',
      pod: 'pull-pod',
      container: 'hellok8s',
      message: `${reason}: ${message}; Failed to pull image "leigg/hellok8s:v9": rpc error: code = NotFound desc = not found`,
      hint: expect.stringContaining('imagePullSecret of type kubernetes.io/dockerconfigjson in this namespace (001:328-340)'),
    }]);
  });

  it('InvalidImageName → ImagePullBackOff, with what is wrong with the name', () => {
    const p = pod('bad-name', {
      phase: 'Pending',
      containerStatuses: [{
        name: 'app', image: 'nginx:Bad Tag', ready: false,
        state: { waiting: { reason: 'InvalidImageName', message: 'Failed to apply default image tag "nginx:Bad Tag": couldn\'t parse image name "nginx:Bad Tag": invalid reference format' } },
      }],
    }, [{ name: 'app', image: 'nginx:Bad Tag' }]);
    const [f] = only([p]);
    expect(f.code).toBe('ImagePullBackOff');
    expect(f.message).toMatch(/^InvalidImageName: Failed to apply default image tag/);
    expect(f.hint).toBe('the image reference is not valid, so the kubelet will never pull it; fix the image with set-image: image "nginx:Bad Tag" must not contain whitespace');
  });

  it('OOMKilled from lastState while in back-off (000:5835-5841), with the memory limit', () => {
    const p = pod('memory-demo-2', {
      phase: 'Running',
      containerStatuses: [{
        name: 'memory-demo-2-ctr', image: 'polinux/stress', ready: false, restartCount: 3,
        state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container' } },
        lastState: { terminated: { containerID: 'docker://65183c18', exitCode: 137, finishedAt: '2017-06-20T20:52:19Z', reason: 'OOMKilled', startedAt: null } as never },
      }],
    }, [{ name: 'memory-demo-2-ctr', image: 'polinux/stress', resources: { limits: { memory: '100Mi' }, requests: { memory: '50Mi' } } } as never]);
    expect(only([p])).toEqual([{
      code: 'OOMKilled',
      pod: 'memory-demo-2',
      container: 'memory-demo-2-ctr',
      message: 'container "memory-demo-2-ctr" was OOMKilled (exit code 137); memory limit 100Mi; 3 restarts; back-off 40s restarting failed container',
      hint: expect.stringContaining('raise the memory limit'),
    }]);
  });

  it('OOMKilled in the current state', () => {
    const p = pod('oom-now', { phase: 'Running', containerStatuses: [{ name: 'hellok8s', ready: false, state: { terminated: { exitCode: 137, reason: 'OOMKilled' } } }] });
    expect(only([p]).map((f) => f.code)).toEqual(['OOMKilled']);
  });

  it('an old OOMKilled on a container that runs and is ready again is history, not a finding', () => {
    const p = pod('recovered', { phase: 'Running', containerStatuses: [running('hellok8s', true, { restartCount: 1, lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } } })] });
    expect(only([p])).toEqual([]);
  });

  it('NotReady with the readiness probe’s failure (004:1599, 1618)', () => {
    const p = pod('hellok8s-go-http-7b778ccdcd-c9kv4', { phase: 'Running', containerStatuses: [running('hellok8s', false)] });
    const events = [
      event('Pod', 'hellok8s-go-http-7b778ccdcd-c9kv4', 'Unhealthy', 'Readiness probe failed: Get "http://10.0.0.5:3000/": connection refused', '2023-08-13T13:11:00Z'),
      event('Pod', 'hellok8s-go-http-7b778ccdcd-c9kv4', 'Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 500', '2023-08-13T13:12:30Z'),
      event('Pod', 'hellok8s-go-http-7b778ccdcd-fn7p6', 'Unhealthy', 'Readiness probe failed: another pod', '2023-08-13T13:13:00Z'),
    ];
    expect(only([p], events)).toEqual([{
      code: 'NotReady',
      pod: 'hellok8s-go-http-7b778ccdcd-c9kv4',
      container: 'hellok8s',
      message: 'Readiness probe failed: HTTP probe failed with statuscode: 500',
      hint: expect.stringContaining('period 10 s, timeout 1 s, failure threshold 3 (000:7474-7812)'),
    }]);
  });

  it('NotReady without a recorded probe failure still says what it sees', () => {
    const p = pod('starting', { phase: 'Running', containerStatuses: [running('hellok8s', false)] });
    expect(only([p])[0].message).toBe('container "hellok8s" is running but not Ready (no readiness probe failure recorded yet)');
  });

  it.each([
    ['CreateContainerConfigError', 'secret "db-password" not found', 'Secret or ConfigMap'],
    ['CreateContainerError', 'failed to reserve container name', 'non-zero code'],
  ])('%s', (reason, message, hint) => {
    const p = pod('config-pod', { phase: 'Pending', containerStatuses: [{ name: 'hellok8s', ready: false, state: { waiting: { reason, message } } }] });
    expect(only([p])).toEqual([{ code: reason, pod: 'config-pod', container: 'hellok8s', message, hint: expect.stringContaining(hint) }]);
  });

  it('a container that exited with an error (before its back-off)', () => {
    const p = pod('exited', { phase: 'Running', containerStatuses: [{ name: 'hellok8s', ready: false, restartCount: 1, state: { terminated: { exitCode: 1, reason: 'Error', message: 'config file missing' } } }] });
    expect(only([p])).toEqual([{ code: 'Error', pod: 'exited', container: 'hellok8s', message: 'exited with code 1 (Error): config file missing', hint: expect.any(String) }]);
  });

  it('says nothing about healthy, waiting-to-start and completed containers', () => {
    const pods = [
      pod('ok', { phase: 'Running', containerStatuses: [running()] }),
      pod('creating', { phase: 'Pending', containerStatuses: [{ name: 'hellok8s', ready: false, state: { waiting: { reason: 'ContainerCreating' } } }] }),
      pod('done', { phase: 'Running', containerStatuses: [{ name: 'hellok8s', ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }),
    ];
    expect(only(pods)).toEqual([]);
  });
});

describe('diagnose: init containers (000:17318-17329)', () => {
  it.each([
    [{ waiting: { reason: 'CrashLoopBackOff', message: 'back-off 20s restarting failed container=init-myservice' } }, 'Init:CrashLoopBackOff'],
    [{ terminated: { exitCode: 1, reason: 'Error' } }, 'Init:Error'],
    [{ waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "busybox:1.28x"' } }, 'Init:ImagePullBackOff'],
    [{ terminated: { exitCode: 137, reason: 'OOMKilled' } }, 'Init:OOMKilled'],
  ])('%j → %s', (state, code) => {
    const p = pod('myapp-pod', {
      phase: 'Pending',
      initContainerStatuses: [{ name: 'init-myservice', image: 'busybox:1.28', ready: false, restartCount: 2, state, lastState: { terminated: { exitCode: 1, reason: 'Error' } } }],
      containerStatuses: [{ name: 'myapp-container', ready: false, state: { waiting: { reason: 'PodInitializing' } } }],
    });
    const [f, ...rest] = only([p]);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ code, pod: 'myapp-pod', container: 'init-myservice' });
    expect(f.hint.startsWith('an init container must finish before the app containers start (000:17323-17329); ')).toBe(true);
  });

  it('does not call a running init container NotReady', () => {
    const p = pod('myapp-pod', { phase: 'Pending', initContainerStatuses: [running('init-myservice', false)] });
    expect(only([p])).toEqual([]);
  });
});

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
