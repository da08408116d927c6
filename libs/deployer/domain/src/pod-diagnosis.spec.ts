import type { Finding } from '@bosun/contracts';
import { deployment, event, hellok8sReplicaSets, pod, running } from './kube.fixtures';
import type { Pod } from './kube-types';
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

  it('a container restarted by its liveness probe between restarts: LivenessProbeFailed (004:1552-1568)', () => {
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
    ['CreateContainerError', 'failed to reserve container name', 'could not create or start the container'],
    ['RunContainerError', 'exec: "/app": permission denied', 'could not create or start the container'],
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
