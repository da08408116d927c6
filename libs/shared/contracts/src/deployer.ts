import { z } from 'zod';
import { dnsLabel } from './common';
import { sealedValueSchema } from './sealed';
import { QUANTITY } from './quantity.grammar';

const quantity = z.string().regex(QUANTITY, 'must be a Kubernetes quantity such as 100m, 0.5, 128Mi or 1Gi');
const intOrPercent = z.union([
  z.number().int().nonnegative(),
  z.string().regex(/^\d+%$/, 'must be a non-negative integer or a percentage such as 25%'),
]);
const port = z.number().int().min(1, 'must be between 1 and 65535').max(65535, 'must be between 1 and 65535');
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const envName = z.string().regex(ENV_NAME, 'env names must match [-._a-zA-Z][-._a-zA-Z0-9]*');

/** DNS-1123 subdomain, as Kubernetes checks a Secret's name (≤ 253). */
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A Secret (or ConfigMap) data key, as Kubernetes checks it (≤ 253, not `.`, `..` or `..…`). */
export const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/** `valueFrom.secretKeyRef` exactly as Kubernetes spells it; Bosun never reads the Secret. */
export const secretKeyRefSchema = z.strictObject({
  name: z.string({ error: 'name is required (the Secret in the Deployment\'s namespace)' })
    .max(253, 'must be no more than 253 characters')
    .regex(DNS1123_SUBDOMAIN, "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"),
  key: z.string({ error: 'key is required (a key of the Secret)' })
    .max(253, 'must be no more than 253 characters')
    .regex(SECRET_KEY, "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name', or 'KEY_NAME', or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')")
    .refine((k) => k !== '.' && !k.startsWith('..'), { message: "must not be '.' or '..', or start with '..'" }),
  optional: z.boolean().optional(),
});
export const envFromSecretSchema = z.strictObject({ valueFrom: z.strictObject({ secretKeyRef: secretKeyRefSchema }) });
export type EnvFromSecret = z.infer<typeof envFromSecretSchema>;

/**
 * What a sealed env value is bound to (its GCM additional data): it opens only for this
 * cluster, Deployment and variable, so a sealed value copied into another command is useless.
 */
export const sealedEnvContext = (target: { cluster: string; namespace: string; name: string }, variable: string): string =>
  `bosun:deployment-env:v1/${target.cluster}/${target.namespace}/${target.name}/${variable}`;

const envValueError = 'must be a string or {valueFrom: {secretKeyRef: {name, key, optional?}}}';

export const resourcesSchema = z.strictObject({
  requests: z.strictObject({ cpu: quantity.optional(), memory: quantity.optional() }).optional(),
  limits: z.strictObject({ cpu: quantity.optional(), memory: quantity.optional() }).optional(),
});

export const probeSchema = z
  .strictObject({
    httpGet: z.strictObject({ path: z.string().startsWith('/').default('/'), port: z.union([port, z.string().min(1)]) }).optional(),
    tcpSocket: z.strictObject({ port: z.union([port, z.string().min(1)]) }).optional(),
    exec: z.strictObject({ command: z.array(z.string()).min(1) }).optional(),
    initialDelaySeconds: z.number().int().nonnegative().optional(),
    periodSeconds: z.number().int().min(1).optional(),
    timeoutSeconds: z.number().int().min(1).optional(),
    successThreshold: z.number().int().min(1).optional(),
    failureThreshold: z.number().int().min(1).optional(),
  })
  .refine((p) => [p.httpGet, p.tcpSocket, p.exec].filter(Boolean).length === 1, {
    message: 'exactly one of httpGet, tcpSocket or exec must be given',
  });

export const strategySchema = z
  .strictObject({
    type: z.enum(['RollingUpdate', 'Recreate']).default('RollingUpdate'),
    maxSurge: intOrPercent.optional(),
    maxUnavailable: intOrPercent.optional(),
  })
  .superRefine((s, ctx) => {
    if (s.type === 'Recreate') {
      for (const f of ['maxSurge', 'maxUnavailable'] as const) {
        if (s[f] !== undefined) {
          ctx.addIssue({ code: 'custom', path: [f], message: "may not be specified when strategy type is 'Recreate'" });
        }
      }
      return;
    }
    const zero = (v: unknown): boolean => v === 0 || v === '0%';
    if (zero(s.maxSurge) && zero(s.maxUnavailable)) {
      ctx.addIssue({ code: 'custom', path: ['maxUnavailable'], message: 'may not be 0 when maxSurge is 0' });
    }
  });

/** `POST /v1/deployments` and the deployer's `deploy` command payload. */
export const deployRequestSchema = z.strictObject({
  namespace: dnsLabel('namespace'),
  name: dnsLabel('name'),
  image: z.string().min(1, 'image is required'),
  replicas: z.number().int().nonnegative('replicas must be 0 or more').max(10000).optional(),
  ports: z.array(z.strictObject({ name: z.string().max(15).regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be an IANA service name (≤ 15 lower-case letters, digits, -)').optional(), containerPort: port })).optional(),
  /** A literal value, or a reference to a Secret key (`valueFrom.secretKeyRef`). */
  env: z.record(envName, z.union([z.string(), envFromSecretSchema], { error: envValueError })).optional(),
  resources: resourcesSchema.optional(),
  strategy: strategySchema.optional(),
  readinessProbe: probeSchema.optional(),
  changeCause: z.string().max(1024).optional(),
  progressDeadlineSeconds: z.number().int().min(1).max(86400).optional(),
});
export type DeployRequest = z.infer<typeof deployRequestSchema>;

/**
 * The deployer's `deploy` command payload: the request with every literal env value sealed.
 * A plaintext value is refused here, so none can reach the command stream, BullMQ or the DLQ
 * unnoticed.
 */
export const deployCommandSchema = deployRequestSchema.extend({
  env: z.record(envName, z.union([sealedValueSchema, envFromSecretSchema], { error: 'must be a sealed value {sealed: "v1:…"} or {valueFrom: {secretKeyRef: {name, key}}}: literal values are sealed by the gateway' })).optional(),
});
export type DeployCommandPayload = z.infer<typeof deployCommandSchema>;

export const setImageRequestSchema = z.strictObject({
  image: z.string().min(1, 'image is required'),
  container: z.string().optional(),
  changeCause: z.string().max(1024).optional(),
});
export const rollbackRequestSchema = z.strictObject({ toRevision: z.number().int().min(1, 'toRevision must be 1 or more').optional() });
export const imageResolveRequestSchema = z.strictObject({ image: z.string().min(1, 'image is required') });

/** Command payloads: the request body plus the path parameters. */
export const deploymentRefSchema = z.object({ namespace: dnsLabel('namespace'), name: dnsLabel('name') });
export const setImagePayloadSchema = deploymentRefSchema.extend(setImageRequestSchema.shape);
export const rollbackPayloadSchema = deploymentRefSchema.extend(rollbackRequestSchema.shape);
export type DeploymentRef = z.infer<typeof deploymentRefSchema>;
export type SetImagePayload = z.infer<typeof setImagePayloadSchema>;
export type RollbackPayload = z.infer<typeof rollbackPayloadSchema>;

/** Operation kinds and their command actions (subject `bosun.cmd.deployer.<action>.v1`). */
export const DEPLOYER_ACTIONS = {
  'deployment.deploy': 'deploy',
  'deployment.set-image': 'set-image',
  'deployment.rollback': 'rollback',
  'deployment.pause': 'pause',
  'deployment.resume': 'resume',
  'deployment.restart': 'restart',
  'deployment.scale': 'scale',
  'deployment.delete': 'delete',
} as const;
export type DeployerOperationKind = keyof typeof DEPLOYER_ACTIONS;
export const scalePayloadSchema = deploymentRefSchema.extend({ replicas: z.number().int().nonnegative() });

/** Query names (subject `bosun.qry.deployer.<name>.v1`). */
export const DEPLOYER_QUERIES = {
  validate: 'validate', get: 'get', list: 'list', history: 'history', diagnosis: 'diagnosis', resolveImage: 'resolve-image',
} as const;

export type RolloutState = 'progressing' | 'complete' | 'failed' | 'paused';
export interface DeploymentView {
  namespace: string;
  name: string;
  images: string[];
  revision: number;
  paused: boolean;
  replicas: { desired: number; updated: number; ready: number; available: number };
  conditions: { type: string; status: string; reason?: string; message?: string }[];
  rollout: { state: RolloutState; message: string };
}
export interface HistoryItem { revision: number; changeCause?: string; images: string[]; createdAt?: string }
export interface Finding { code: string; pod?: string; container?: string; message: string; hint: string }
export interface Diagnosis { healthy: boolean; findings: Finding[] }
export interface ResolvedImage {
  registry: string; repository: string; tag?: string; digest?: string; normalized: string;
  defaultPullPolicy: 'Always' | 'IfNotPresent';
}

/** Cluster registry queries, answered by the deployer (it owns the Kubernetes connections). */
export const CLUSTER_QUERIES = { add: 'clusters-add', list: 'clusters-list', get: 'clusters-get' } as const;
export const addClusterRequestSchema = z.strictObject({
  name: dnsLabel('name'),
  kubeconfig: z.string({ error: 'kubeconfig is required (YAML, inline credentials only)' }).min(1, 'kubeconfig is required').max(256 * 1024),
});
export const clusterNameSchema = z.object({ name: z.string().min(1) });
export interface ClusterView {
  name: string; server: string; default: boolean; reachable: boolean; version?: string;
  skew?: { kubectlClient: string; withinOneMinor: boolean }; error?: string;
}
