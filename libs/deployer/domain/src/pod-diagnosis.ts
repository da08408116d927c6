import type { Diagnosis, Finding } from '@bosun/contracts';
import { HINTS } from './diagnosis.hints';
import { eventsAbout, latestEvent, type EventView } from './kube-events';
import { findCondition, type Container, type ContainerStatus, type Deployment, type KubeEvent, type Pod, type ReplicaSet } from './kube-types';
import { parseImageReference } from '@bosun/deploy-rules';
import { ownedReplicaSets } from './revision-history';
import { PROGRESS_DEADLINE_EXCEEDED, rolloutStatus } from './rollout-status';

export interface DiagnosisInput {
  deployment: Deployment;
  replicaSets?: ReplicaSet[];
  /** the Deployment's pods (by its selector), old and new. */
  pods?: Pod[];
  /** events in the namespace; those about other objects are ignored. */
  events?: KubeEvent[];
}

/** Waiting reasons the kubelet uses when it cannot get the image. */
const IMAGE_PULL_REASONS = new Set([
  'ImagePullBackOff', 'ErrImagePull', 'InvalidImageName', 'ErrImageNeverPull', 'RegistryUnavailable', 'ImageInspectError',
]);
const CREATE_REASONS = new Set(['CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);

interface ContainerContext {
  pod: string;
  status: ContainerStatus;
  spec?: Container;
  init: boolean;
  events: EventView[];
}

/** Init containers get kubectl's `Init:` prefix (000:17323-17329) on code and hint. */
const finding = (ctx: ContainerContext, code: string, message: string, hint: string): Finding => ({
  code: ctx.init ? `Init:${code}` : code,
  pod: ctx.pod,
  container: ctx.status.name,
  message,
  hint: ctx.init ? HINTS.Init + hint : hint,
});

const join = (...parts: (string | undefined)[]): string => parts.filter((p) => p !== undefined && p !== '').join('; ');

const imagePull = (ctx: ContainerContext): Finding | undefined => {
  const waiting = ctx.status.state?.waiting;
  if (!waiting?.reason || !IMAGE_PULL_REASONS.has(waiting.reason)) return undefined;
  const pullEvent = latestEvent(ctx.events, 'Failed', 'Failed to pull image');
  const message = join(`${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}`, pullEvent?.message);
  const image = ctx.spec?.image ?? ctx.status.image;
  const parsed = image === undefined ? undefined : parseImageReference(image);
  const why = parsed && !parsed.ok ? `: ${parsed.errors.map((e) => e.message).join('; ')}` : '';
  const hint = waiting.reason === 'InvalidImageName' || why ? HINTS.InvalidImageName + why : HINTS.ImagePullBackOff;
  return finding(ctx, 'ImagePullBackOff', message, hint);
};

const oomTermination = ({ state, lastState }: ContainerStatus): { exitCode: number } | undefined => {
  if (state?.terminated?.reason === 'OOMKilled') return state.terminated;
  return state?.waiting && lastState?.terminated?.reason === 'OOMKilled' ? lastState.terminated : undefined;
};

/**
 * OOMKilled now, or the reason the container waits to be restarted (000:5839-5841). An old
 * OOM on a container that is running again is history, not a finding.
 */
const oomKilled = (ctx: ContainerContext): Finding | undefined => {
  const killed = oomTermination(ctx.status);
  if (!killed) return undefined;
  const limit = ctx.spec?.resources?.limits?.memory;
  const restarts = ctx.status.restartCount;
  const message = join(
    `container "${ctx.status.name}" was OOMKilled (exit code ${killed.exitCode})`,
    limit ? `memory limit ${limit}` : undefined,
    restarts ? `${restarts} restarts` : undefined,
    ctx.status.state?.waiting?.message,
  );
  return finding(ctx, 'OOMKilled', message, HINTS.OOMKilled);
};

const lastExit = (status: ContainerStatus): string | undefined => {
  const t = status.lastState?.terminated;
  if (!t) return undefined;
  return `last exit code ${t.exitCode}${t.reason ? ` (${t.reason})` : ''}${t.message ? `: ${t.message.trim()}` : ''}`;
};

const crashLoop = (ctx: ContainerContext): Finding | undefined => {
  const waiting = ctx.status.state?.waiting;
  if (waiting?.reason !== 'CrashLoopBackOff') return undefined;
  const liveness = latestEvent(ctx.events, 'Unhealthy', 'Liveness probe failed');
  const message = join(waiting.message ?? 'CrashLoopBackOff', lastExit(ctx.status), liveness?.message);
  return finding(ctx, 'CrashLoopBackOff', message, liveness ? HINTS.LivenessFailing : HINTS.CrashLoopBackOff);
};

/** Restarted by a failing liveness probe but caught between restarts (004:1552-1568). */
const livenessRestarts = (ctx: ContainerContext): Finding | undefined => {
  const liveness = latestEvent(ctx.events, 'Unhealthy', 'Liveness probe failed');
  if (!liveness || !ctx.status.restartCount) return undefined;
  return finding(ctx, 'LivenessProbeFailed', join(liveness.message, `${ctx.status.restartCount} restarts`), HINTS.LivenessFailing);
};

const createError = (ctx: ContainerContext): Finding | undefined => {
  const waiting = ctx.status.state?.waiting;
  if (!waiting?.reason || !CREATE_REASONS.has(waiting.reason)) return undefined;
  const hint = waiting.reason === 'CreateContainerConfigError' ? HINTS.CreateContainerConfigError : HINTS.CreateContainerError;
  return finding(ctx, waiting.reason, waiting.message ?? waiting.reason, hint);
};

const exitedWithError = (ctx: ContainerContext): Finding | undefined => {
  const t = ctx.status.state?.terminated;
  if (!t || t.exitCode === 0) return undefined;
  const message = `exited with code ${t.exitCode}${t.reason ? ` (${t.reason})` : ''}${t.message ? `: ${t.message.trim()}` : ''}`;
  return finding(ctx, 'Error', message, HINTS.Error);
};

/** Running, not Ready: the readiness probe fails (004:1599, 1618). */
const notReady = (ctx: ContainerContext): Finding | undefined => {
  if (ctx.init || !ctx.status.state?.running || ctx.status.ready !== false) return undefined;
  const probe = latestEvent(ctx.events, 'Unhealthy', 'Readiness probe failed');
  const message = probe?.message ?? `container "${ctx.status.name}" is running but not Ready (no readiness probe failure recorded yet)`;
  return finding(ctx, 'NotReady', message, HINTS.NotReady);
};

/** The most specific finding first: OOMKilled explains a CrashLoopBackOff, not the reverse. */
const CONTAINER_CHECKS = [imagePull, oomKilled, crashLoop, createError, exitedWithError, livenessRestarts, notReady];

const containerFindings = (pod: Pod, events: EventView[]): Finding[] => {
  const name = pod.metadata?.name ?? '';
  const groups: [ContainerStatus[] | undefined, Container[] | undefined, boolean][] = [
    [pod.status?.initContainerStatuses, pod.spec?.initContainers, true],
    [pod.status?.containerStatuses, pod.spec?.containers, false],
  ];
  return groups.flatMap(([statuses = [], specs = [], init]) =>
    statuses.flatMap((status) => {
      const ctx: ContainerContext = { pod: name, status, spec: specs.find((s) => s.name === status.name), init, events };
      const found = CONTAINER_CHECKS.map((check) => check(ctx)).find((f) => f !== undefined);
      return found ? [found] : [];
    }),
  );
};

/** PodScheduled=False/Unschedulable, or a FailedScheduling event while not scheduled (000:6342). */
const unschedulable = (pod: Pod, events: EventView[]): Finding[] => {
  const scheduled = findCondition(pod.status?.conditions, 'PodScheduled');
  if (scheduled?.status === 'True') return [];
  const event = latestEvent(events, 'FailedScheduling');
  const fromCondition = scheduled?.status === 'False' && scheduled.reason === 'Unschedulable' ? scheduled.message : undefined;
  const message = fromCondition ?? event?.message;
  if (message === undefined) return [];
  return [{ code: 'Unschedulable', pod: pod.metadata?.name, message, hint: HINTS.Unschedulable }];
};

const evicted = (pod: Pod): Finding[] =>
  pod.status?.phase === 'Failed' && pod.status.reason === 'Evicted'
    ? [{ code: 'Evicted', pod: pod.metadata?.name, message: pod.status.message ?? 'Evicted', hint: HINTS.Evicted }]
    : [];

const podFindings = (pod: Pod, events: KubeEvent[]): Finding[] => {
  // A pod on its way out is not the problem, and a finished one has nothing to say.
  if (pod.metadata?.deletionTimestamp !== undefined || pod.status?.phase === 'Succeeded') return [];
  const about = eventsAbout(events, 'Pod', pod.metadata?.name);
  return [...evicted(pod), ...unschedulable(pod, about), ...containerFindings(pod, about)];
};

const stripCreating = (message: string): string => message.replace(/^Error creating: /, '');

/**
 * Pods the ReplicaSet could not create: its ReplicaFailure condition (mirrored on the
 * Deployment) and FailedCreate events while it is short of pods. `exceeded quota` means a
 * ResourceQuota (000:1615-1617, 000:1681-1682); anything else is another admission refusal.
 */
const creationFindings = (deployment: Deployment, replicaSets: ReplicaSet[], events: KubeEvent[]): Finding[] => {
  const owned = ownedReplicaSets(deployment, replicaSets);
  const conditions = [deployment.status?.conditions, ...owned.map((rs) => rs.status?.conditions)]
    .map((cs) => findCondition(cs, 'ReplicaFailure'))
    .filter((c) => c?.status === 'True' && c.message)
    .map((c) => c?.message as string);
  const short = owned.filter((rs) => (rs.status?.replicas ?? 0) < (rs.spec?.replicas ?? 0));
  const fromEvents = short.flatMap((rs) => {
    const e = latestEvent(eventsAbout(events, 'ReplicaSet', rs.metadata?.name), 'FailedCreate');
    return e ? [e.message] : [];
  });
  const messages = [...new Set([...conditions, ...fromEvents].map(stripCreating))];
  return messages.map((message) =>
    message.includes('exceeded quota')
      ? { code: 'QuotaExceeded', message, hint: HINTS.QuotaExceeded }
      : { code: 'FailedCreate', message, hint: HINTS.FailedCreate },
  );
};

const deadlineFindings = (deployment: Deployment): Finding[] => {
  const progressing = findCondition(deployment.status?.conditions, 'Progressing');
  if (progressing?.reason !== PROGRESS_DEADLINE_EXCEEDED) return [];
  const message = progressing.message ?? `deployment "${deployment.metadata?.name ?? ''}" exceeded its progress deadline`;
  return [{ code: PROGRESS_DEADLINE_EXCEEDED, message, hint: HINTS.ProgressDeadlineExceeded }];
};

/**
 * `GET …/diagnosis`: what is wrong, in Kubernetes' own words plus a hint. Healthy means no
 * findings and a complete rollout.
 */
export const diagnose = ({ deployment, replicaSets = [], pods = [], events = [] }: DiagnosisInput): Diagnosis => {
  const findings = [
    ...deadlineFindings(deployment),
    ...creationFindings(deployment, replicaSets, events),
    ...pods.flatMap((pod) => podFindings(pod, events)),
  ];
  const healthy = findings.length === 0 && rolloutStatus(deployment, replicaSets).state === 'complete';
  return { healthy, findings };
};
