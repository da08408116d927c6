import type { DeployRequest } from '@bosun/contracts';
import { ANNOTATIONS, type Container, type DeploymentStrategy, type EnvVar, type Probe } from './kube-types';

export const MANAGED_BY = 'bosun';
export const NAME_LABEL = 'app.kubernetes.io/name';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
/** Upstream's RollingUpdate defaults (004:1452), written out so the field is ours (see strategyOf). */
export const DEFAULT_MAX_SURGE = '25%';
export const DEFAULT_MAX_UNAVAILABLE = '25%';

/**
 * What `buildDeploymentManifest` returns: an apps/v1 Deployment with the fields we set
 * required and no status, so it is also assignable to the client library's V1Deployment.
 */
export interface DeploymentManifest {
  apiVersion: 'apps/v1';
  kind: 'Deployment';
  metadata: { name: string; namespace: string; labels: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    replicas?: number;
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: { containers: Container[] } };
    strategy: DeploymentStrategy;
    progressDeadlineSeconds?: number;
  };
}

export interface ManifestOptions {
  /** Overrides `req.changeCause`; becomes `kubernetes.io/change-cause` (004:1312-1334). */
  changeCause?: string;
}

/** Drops undefined members, so the applied configuration claims only fields we mean to own. */
const compact = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export const labelsFor = (name: string): Record<string, string> => ({ [NAME_LABEL]: name, [MANAGED_BY_LABEL]: MANAGED_BY });

/**
 * Always an explicit strategy. Under server-side apply, a `rollingUpdate` block that the API
 * server defaulted belongs to nobody, so a later apply of `type: Recreate` would leave it in
 * place and be rejected with `spec.strategy.rollingUpdate: Forbidden: may not be specified
 * when strategy \`type\` is 'Recreate'` (000:11247, and 000:9584-10030 for apply's view of
 * defaulted fields). Writing the defaults ourselves makes the block ours, so dropping it
 * from our configuration removes it.
 */
const strategyOf = (strategy: DeployRequest['strategy']): DeploymentStrategy => {
  if (strategy?.type === 'Recreate') return { type: 'Recreate' };
  return {
    type: 'RollingUpdate',
    rollingUpdate: {
      maxSurge: strategy?.maxSurge ?? DEFAULT_MAX_SURGE,
      maxUnavailable: strategy?.maxUnavailable ?? DEFAULT_MAX_UNAVAILABLE,
    },
  };
};

const probeOf = (probe: NonNullable<DeployRequest['readinessProbe']>): Probe =>
  compact({
    httpGet: probe.httpGet ? { path: probe.httpGet.path ?? '/', port: probe.httpGet.port } : undefined,
    tcpSocket: probe.tcpSocket ? { port: probe.tcpSocket.port } : undefined,
    exec: probe.exec ? { command: [...probe.exec.command] } : undefined,
    initialDelaySeconds: probe.initialDelaySeconds,
    periodSeconds: probe.periodSeconds,
    timeoutSeconds: probe.timeoutSeconds,
    successThreshold: probe.successThreshold,
    failureThreshold: probe.failureThreshold,
  });

const resourcesOf = (resources: NonNullable<DeployRequest['resources']>): Container['resources'] =>
  compact({
    requests: resources.requests ? compact({ ...resources.requests }) : undefined,
    limits: resources.limits ? compact({ ...resources.limits }) : undefined,
  });

/**
 * A literal value, or `valueFrom.secretKeyRef` as given: the kubelet reads the Secret when it
 * starts the container; Bosun never does.
 */
const envVarOf = (name: string, value: NonNullable<DeployRequest['env']>[string]): EnvVar => {
  if (typeof value === 'string') return { name, value };
  const { name: secret, key, optional } = value.valueFrom.secretKeyRef;
  return { name, valueFrom: { secretKeyRef: compact({ name: secret, key, optional }) } };
};

// Sorted, so the same request always yields the same template (and so no new revision).
const envOf = (env: NonNullable<DeployRequest['env']>): EnvVar[] =>
  Object.keys(env).sort().map((name) => envVarOf(name, env[name]));

const containerOf = (req: DeployRequest): Container =>
  compact({
    name: req.name,
    image: req.image,
    // Protocol is part of the ports list's merge key under server-side apply; say it.
    ports: req.ports?.map((p) => compact({ name: p.name, containerPort: p.containerPort, protocol: 'TCP' })),
    env: req.env ? envOf(req.env) : undefined,
    resources: req.resources ? resourcesOf(req.resources) : undefined,
    readinessProbe: req.readinessProbe ? probeOf(req.readinessProbe) : undefined,
  });

/**
 * The apps/v1 Deployment for a validated request (run `validateDeployRequest` first).
 * - selector.matchLabels equals the template labels (004:1521);
 * - one container, named after the Deployment;
 * - `replicas` only when asked for: an applied `replicas` would fight an HPA that owns the
 *   count (004:4303-4321);
 * - the change cause is an annotation on the Deployment; the controller copies it to the
 *   new ReplicaSet, which is where `rollout history` reads it (004:1312-1334).
 * imagePullPolicy is left to the API server's default (see `defaultPullPolicy`).
 */
export const buildDeploymentManifest = (req: DeployRequest, opts: ManifestOptions = {}): DeploymentManifest => {
  const labels = labelsFor(req.name);
  const changeCause = opts.changeCause ?? req.changeCause;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: compact({
      name: req.name,
      namespace: req.namespace,
      labels: { ...labels },
      annotations: changeCause === undefined ? undefined : { [ANNOTATIONS.changeCause]: changeCause },
    }),
    spec: compact({
      replicas: req.replicas,
      selector: { matchLabels: { ...labels } },
      template: { metadata: { labels: { ...labels } }, spec: { containers: [containerOf(req)] } },
      strategy: strategyOf(req.strategy),
      progressDeadlineSeconds: req.progressDeadlineSeconds,
    }),
  };
};
