// Words for people, one per finding code, with the seed lines that back them.

const IMAGE_PULL =
  'check the image name and tag, and that the registry is reachable; private registries need an imagePullSecret ' +
  'of type kubernetes.io/dockerconfigjson in this namespace (001:328-340). The kubelet retries with a back-off ' +
  'capped at 300 s (001:167).';

export const HINTS = {
  CrashLoopBackOff:
    'the container keeps exiting. Kubernetes restarts it after a back-off of 10 s, doubling to 5 min, reset after ' +
    '10 min of running (004:1136). Read the previous run\'s logs (kubectl logs --previous) and the exit code; the old ' +
    'pods keep serving while the new ones crash (004:1350-1379), so roll back if a new image brought this.',
  LivenessFailing:
    'the liveness probe fails, so the kubelet kills and restarts the container (004:1568): check the probe\'s path, ' +
    'port and timing against the app, and that the app answers 200-399 (000:7474-7812).',
  ImagePullBackOff: IMAGE_PULL,
  InvalidImageName: 'the image reference is not valid, so the kubelet will never pull it; fix the image with set-image',
  OOMKilled:
    'the container used more memory than its limit and was killed (reason OOMKilled, exit code 137, 000:5839-5841): ' +
    'raise the memory limit (and request), or make the app use less memory.',
  Unschedulable:
    'no node can take the pod; the scheduler\'s message says why (000:6342, 000:16705-16707). For Insufficient cpu ' +
    'or memory: lower the requests, free capacity or add nodes.',
  QuotaExceeded:
    'the namespace\'s ResourceQuota refuses the new pods (000:1615-1617, 000:1681-1682): lower the requests, limits ' +
    'or replicas, or ask for a larger quota; the ReplicaSet keeps retrying on its own.',
  FailedCreate: 'the ReplicaSet cannot create pods; the message names the admission rule that refused them.',
  NotReady:
    'the container runs but its readiness probe fails, so it gets no Service traffic and the rollout waits (004:1599). ' +
    'Check the probe\'s path and port and how long the app needs to start; probe defaults are initial delay 0 s, ' +
    'period 10 s, timeout 1 s, failure threshold 3 (000:7474-7812).',
  ProgressDeadlineExceeded:
    'the rollout made no progress within progressDeadlineSeconds (default 600 s); the other findings say why. Old ' +
    'pods keep serving (004:1350-1379): roll back, or fix the cause and set the image again.',
  CreateContainerConfigError:
    'the container refers to a Secret or ConfigMap (or a key in one) that does not exist in this namespace.',
  CreateContainerError:
    'the container runtime could not create or start the container (a bad command or entrypoint, a missing mount); the message says which.',
  Error: 'the container exited with a non-zero code; read its logs (kubectl logs --previous) and its termination message (000:16996-17020).',
  Evicted: 'the kubelet evicted the pod under node pressure; the ReplicaSet replaces it. Check the node and the pod\'s requests.',
  Init: 'an init container must finish before the app containers start (000:17323-17329); ',
} as const;
