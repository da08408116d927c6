import { z } from 'zod';
import { dnsLabel, subjectSchema } from './common';
import { QUANTITY } from './quantity.grammar';

// Wire schemas of the provisioner: tenants (namespace, quota, limits, members, credentials)
// and nodes (join tokens, cordon, drain). Every body is strict so a misspelt field is a 422
// naming it rather than a silently ignored option. Rules the schema cannot express (name
// reservations, min ≤ default ≤ max, duplicate members) live in @bosun/provisioner-domain.

const quantity = z.string().regex(QUANTITY, 'must be a Kubernetes quantity such as 100m, 0.5, 128Mi or 1Gi');
/** Object counts (`pods`, `persistentvolumeclaims`): a whole number, as a number or a string of digits. */
const count = z.union([
  z.number().int('must be a whole number').nonnegative('must be 0 or more'),
  z.string().regex(/^\d+$/, 'must be a whole number such as 10'),
]);
const seconds = (min: number, max: number, what: string): z.ZodNumber =>
  z.number().int(`${what} must be a whole number of seconds`).min(min, `${what} must be at least ${min}`).max(max, `${what} must be at most ${max}`);

/** The built-in ClusterRoles a tenant member or a credential may hold (004:5583-5880). */
export const TENANT_ROLES = ['view', 'edit', 'admin'] as const;
export const tenantRoleSchema = z.enum(TENANT_ROLES, { error: 'role must be one of view, edit, admin' });
export type TenantRole = z.infer<typeof tenantRoleSchema>;

/** Namespace totals; cpu and memory bound both requests and limits (000:1539-1684). */
export const tenantQuotaSchema = z.strictObject({
  cpu: quantity.optional(),
  memory: quantity.optional(),
  pods: count.optional(),
  storage: quantity.optional(),
  persistentVolumeClaims: count.optional(),
});
export type TenantQuota = z.infer<typeof tenantQuotaSchema>;

export const tenantContainerResourcesSchema = z.strictObject({ cpu: quantity.optional(), memory: quantity.optional() });
export type TenantContainerResources = z.infer<typeof tenantContainerResourcesSchema>;

/** Per-container LimitRange values (000:1095-1538). */
export const tenantLimitsSchema = z.strictObject({
  defaultRequest: tenantContainerResourcesSchema.optional(),
  default: tenantContainerResourcesSchema.optional(),
  min: tenantContainerResourcesSchema.optional(),
  max: tenantContainerResourcesSchema.optional(),
});
export type TenantLimits = z.infer<typeof tenantLimitsSchema>;

export const tenantMemberSchema = z.strictObject({ subject: subjectSchema, role: tenantRoleSchema });
export type TenantMember = z.infer<typeof tenantMemberSchema>;

/** `POST /v1/tenants` and the provisioner's `tenant-create` command payload. */
export const tenantCreateRequestSchema = z.strictObject({
  name: dnsLabel('name'),
  quota: tenantQuotaSchema.optional(),
  limits: tenantLimitsSchema.optional(),
  members: z.array(tenantMemberSchema).max(256, 'at most 256 members').optional(),
});
export type TenantCreateRequest = z.infer<typeof tenantCreateRequestSchema>;

export const tenantRefSchema = z.object({ name: dnsLabel('name') });
export type TenantRef = z.infer<typeof tenantRefSchema>;

/** The apiserver refuses a TokenRequest under 10 minutes; 2^32 s is its upper bound. */
export const MIN_CREDENTIAL_TTL_SECONDS = 600;
export const MAX_CREDENTIAL_TTL_SECONDS = 2 ** 32;

/** `POST /v1/tenants/{name}/credentials`; `role` defaults to `edit`. */
export const credentialsRequestSchema = z.strictObject({
  ttlSeconds: seconds(MIN_CREDENTIAL_TTL_SECONDS, MAX_CREDENTIAL_TTL_SECONDS, 'ttlSeconds'),
  role: tenantRoleSchema.optional(),
});
export type CredentialsRequest = z.infer<typeof credentialsRequestSchema>;
/** The `tenant-credentials` query params: strict, so a misspelt option is refused, not ignored. */
export const credentialsPayloadSchema = z.strictObject({ ...tenantRefSchema.shape, ...credentialsRequestSchema.shape });
export type CredentialsPayload = z.infer<typeof credentialsPayloadSchema>;

export const credentialsResponseSchema = z.object({ kubeconfig: z.string(), expiresAt: z.string() });
export type CredentialsResponse = z.infer<typeof credentialsResponseSchema>;

/** kubeadm's default bootstrap token lifetime (004:260-430). */
export const DEFAULT_JOIN_TOKEN_TTL_SECONDS = 24 * 60 * 60;
/** `POST /v1/nodes/join-tokens`; a token that never expires (kubeadm's `--ttl 0`) is not offered. */
export const joinTokenRequestSchema = z.strictObject({
  ttlSeconds: seconds(60, 30 * 24 * 60 * 60, 'ttlSeconds').optional(),
});
export type JoinTokenRequest = z.infer<typeof joinTokenRequestSchema>;
export const joinTokenResponseSchema = z.object({ token: z.string(), expiresAt: z.string(), joinCommand: z.string() });
export type JoinTokenResponse = z.infer<typeof joinTokenResponseSchema>;

/** Node names are DNS-1123 subdomains (≤ 253), not labels. */
const NODE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const nodeRefSchema = z.object({
  name: z
    .string({ error: 'name is required' })
    .max(253, 'name must be at most 253 characters')
    .regex(NODE_NAME, 'name must be a DNS-1123 subdomain: lower-case letters, digits, - and .'),
});
export type NodeRef = z.infer<typeof nodeRefSchema>;

/** `POST /v1/nodes/{name}/drain`; the flags mean what kubectl drain's flags mean. */
export const drainRequestSchema = z.strictObject({
  timeoutSeconds: seconds(1, 24 * 60 * 60, 'timeoutSeconds').optional(),
  /** -1 (kubectl's default) keeps each pod's own terminationGracePeriodSeconds. */
  gracePeriodSeconds: z.number().int('gracePeriodSeconds must be a whole number').min(-1, 'gracePeriodSeconds must be -1 or more').optional(),
  deleteEmptyDirData: z.boolean().optional(),
  force: z.boolean().optional(),
});
export type DrainRequest = z.infer<typeof drainRequestSchema>;
/** The `node-drain` command payload: the node and the drain options. */
export const drainCommandSchema = z.strictObject({ ...nodeRefSchema.shape, ...drainRequestSchema.shape });
export type DrainCommand = z.infer<typeof drainCommandSchema>;
/** The `drain-plan` query params (`?dryRun=true`); `dryRun` is accepted and implied. */
export const drainPayloadSchema = drainCommandSchema.extend({ dryRun: z.boolean().optional() });
export type DrainPayload = z.infer<typeof drainPayloadSchema>;
/** How long a drain waits for its pods when the request names no timeout (kubectl waits forever; an operation must end). */
export const DEFAULT_DRAIN_TIMEOUT_SECONDS = 300;

/**
 * Why the drain leaves a pod alone. `Terminating`: already being deleted (kubectl's
 * skip-deleted filter). `Completed` is reserved: kubectl deletes Succeeded/Failed pods, so
 * the planner lists them under `evict` (their eviction never waits for a budget).
 */
export const DRAIN_SKIP_REASONS = ['DaemonSet', 'Mirror', 'Completed', 'Terminating'] as const;
export type DrainSkipReason = (typeof DRAIN_SKIP_REASONS)[number];
/** Why the drain will not remove a pod without a flag: LocalStorage → deleteEmptyDirData, NoController → force. */
export const DRAIN_REFUSE_REASONS = ['LocalStorage', 'NoController'] as const;
export type DrainRefuseReason = (typeof DRAIN_REFUSE_REASONS)[number];

const podKey = z.string().regex(/^[^/]+\/[^/]+$/, 'must be namespace/name');
export const drainBlockSchema = z.object({
  pod: podKey,
  /** `namespace/name` of the PodDisruptionBudget. */
  disruptionBudget: z.string(),
  needs: z.number().int(),
  has: z.number().int(),
  message: z.string().optional(),
});
export type DrainBlock = z.infer<typeof drainBlockSchema>;

/** The `?dryRun=true` answer of a drain. */
export const drainPlanSchema = z.object({
  evict: z.array(podKey),
  skip: z.array(z.object({ pod: podKey, reason: z.enum(DRAIN_SKIP_REASONS) })),
  refuse: z.array(z.object({ pod: podKey, reason: z.enum(DRAIN_REFUSE_REASONS), message: z.string().optional() })),
  blocked: z.array(drainBlockSchema),
});
export type DrainPlan = z.infer<typeof drainPlanSchema>;

/**
 * The result of a drain operation (also the `result` of its `DrainBlocked` failure).
 * `evicted`: pods whose eviction was accepted and that are gone. `blocked`: on success, pods a
 * budget held back for a while before they went; on `DrainBlocked`, the pods still held, with
 * the budget's counts and Kubernetes' words. `skipped`: pods left on the node (DaemonSet, mirror).
 */
export const drainResultSchema = z.object({
  node: z.string().optional(),
  evicted: z.array(podKey),
  blocked: z.array(z.object({
    pod: podKey, disruptionBudget: z.string(), needs: z.number().int().optional(), has: z.number().int().optional(), message: z.string().optional(),
  })),
  skipped: z.array(z.object({ pod: podKey, reason: z.enum(DRAIN_SKIP_REASONS) })).optional(),
});
export type DrainResult = z.infer<typeof drainResultSchema>;

/** `GET /v1/tenants/{name}`: quota totals keyed by Kubernetes resource name (`requests.cpu`). */
export const tenantViewSchema = z.object({
  name: z.string(),
  phase: z.string().optional(),
  quota: z.object({
    hard: z.record(z.string(), z.string()),
    used: z.record(z.string(), z.string()),
    /** hard − used, exact; negative when a lowered quota is already exceeded. */
    headroom: z.record(z.string(), z.string()),
  }),
  members: z.array(tenantMemberSchema).optional(),
});
export type TenantView = z.infer<typeof tenantViewSchema>;

/** `GET /v1/tenants` answers `TenantView[]` (no params); the create result is the view plus advice. */
export const tenantListParamsSchema = z.object({});
export const tenantCreateResultSchema = tenantViewSchema.extend({
  /** Advice, not errors (a cpu quota without LimitRange defaults refuses pods that set nothing). */
  warnings: z.array(z.object({ path: z.string(), message: z.string() })),
});
export type TenantCreateResult = z.infer<typeof tenantCreateResultSchema>;
/** `tenant-delete`: `deleted` false when there was nothing to delete (404 is done). */
export const tenantDeleteResultSchema = z.object({ name: z.string(), deleted: z.boolean() });
export type TenantDeleteResult = z.infer<typeof tenantDeleteResultSchema>;

/** Operation kinds and their command actions (subject `bosun.cmd.provisioner.<action>.v1`). */
export const PROVISIONER_ACTIONS = {
  'tenant.create': 'tenant-create',
  'tenant.delete': 'tenant-delete',
  'node.cordon': 'node-cordon',
  'node.uncordon': 'node-uncordon',
  'node.drain': 'node-drain',
} as const;
export type ProvisionerOperationKind = keyof typeof PROVISIONER_ACTIONS;

/** Query names (subject `bosun.qry.provisioner.<name>.v1`). */
export const PROVISIONER_QUERIES = {
  tenantsList: 'tenants-list', tenantsGet: 'tenants-get', credentials: 'tenant-credentials',
  nodesList: 'nodes-list', joinToken: 'join-token', drainPlan: 'drain-plan',
} as const;

export const nodeListParamsSchema = z.object({});

/** `GET /v1/nodes` items. */
export const nodeViewSchema = z.object({
  name: z.string(),
  /** The Ready condition's status: True, False or Unknown (the node controller lost it). */
  ready: z.enum(['True', 'False', 'Unknown']),
  /** False once cordoned (`spec.unschedulable`). */
  schedulable: z.boolean(),
  roles: z.array(z.string()),
  version: z.string().optional(),
  internalIP: z.string().optional(),
  /** `key[=value]:Effect`, as `kubectl taint` writes them. */
  taints: z.array(z.string()),
  /** Pressure or network conditions that are True, by type. */
  problems: z.array(z.object({ type: z.string(), reason: z.string().optional(), message: z.string().optional() })),
  /** `spec.unschedulable` (kubectl cordon), the opposite of `schedulable`. */
  cordoned: z.boolean().optional(),
  /** Every condition as the kubelet (or the node controller) reports it. */
  conditions: z.array(z.object({ type: z.string(), status: z.string(), reason: z.string().optional(), message: z.string().optional() })).optional(),
  allocatable: z.record(z.string(), z.string()).optional(),
  capacity: z.record(z.string(), z.string()).optional(),
  /** Pods bound to the node that have not finished (Succeeded/Failed). */
  pods: z.number().int().optional(),
});
export type NodeView = z.infer<typeof nodeViewSchema>;

/**
 * Every provisioner command: `commandSubject('provisioner', action)` with this payload schema.
 * The gateway validates with the same schema; the target kind is `Namespace` (tenants) or `Node`.
 */
export const PROVISIONER_COMMAND_SCHEMAS = {
  'tenant-create': tenantCreateRequestSchema,
  'tenant-delete': tenantRefSchema,
  'node-cordon': nodeRefSchema,
  'node-uncordon': nodeRefSchema,
  'node-drain': drainCommandSchema,
} as const satisfies Record<(typeof PROVISIONER_ACTIONS)[ProvisionerOperationKind], z.ZodType>;

/** Every provisioner query: `querySubject('provisioner', name)` with these params. */
export const PROVISIONER_QUERY_SCHEMAS = {
  'tenants-list': tenantListParamsSchema,
  'tenants-get': tenantRefSchema,
  'tenant-credentials': credentialsPayloadSchema,
  'nodes-list': nodeListParamsSchema,
  'join-token': joinTokenRequestSchema,
  'drain-plan': drainPayloadSchema,
} as const satisfies Record<(typeof PROVISIONER_QUERIES)[keyof typeof PROVISIONER_QUERIES], z.ZodType>;
