import { TENANT_ROLES, type TenantCreateRequest, type TenantQuota, type TenantRole } from '@bosun/contracts';
import { defaultContainerLimits, type ContainerLimitRangeItem } from './limit-range.rules';
import { RBAC_API_GROUP, toRbacSubject, type RbacSubject } from './rbac.subjects';
import { fail, ok, type Result } from '@bosun/contracts';
import { validateTenantRequest } from './tenant-request.validation';

export const TENANT_LABEL = 'bosun.dev/tenant';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'bosun';
export const QUOTA_NAME = 'bosun-quota';
export const LIMIT_RANGE_NAME = 'bosun-limits';
/** The role a credential gets when the request names none. */
export const DEFAULT_CREDENTIAL_ROLE: TenantRole = 'edit';

interface Meta { name: string; labels: Record<string, string> }
interface NamespacedMeta extends Meta { namespace: string }

/** The manifests are plain objects assignable to kubernetes-types (and the client's V1 types). */
export interface NamespaceManifest { apiVersion: 'v1'; kind: 'Namespace'; metadata: Meta }
export interface ResourceQuotaManifest { apiVersion: 'v1'; kind: 'ResourceQuota'; metadata: NamespacedMeta; spec: { hard: Record<string, string> } }
export interface LimitRangeManifest { apiVersion: 'v1'; kind: 'LimitRange'; metadata: NamespacedMeta; spec: { limits: ContainerLimitRangeItem[] } }
export interface ServiceAccountManifest { apiVersion: 'v1'; kind: 'ServiceAccount'; metadata: NamespacedMeta }
export interface RoleBindingManifest {
  apiVersion: 'rbac.authorization.k8s.io/v1';
  kind: 'RoleBinding';
  metadata: NamespacedMeta;
  roleRef: { apiGroup: typeof RBAC_API_GROUP; kind: 'ClusterRole'; name: TenantRole };
  subjects: RbacSubject[];
}

export interface TenantManifests {
  namespace: NamespaceManifest;
  resourceQuota?: ResourceQuotaManifest;
  limitRange?: LimitRangeManifest;
  serviceAccount: ServiceAccountManifest;
  /** One per role that has members (`bosun-members-<role>`), then the service account's. */
  roleBindings: RoleBindingManifest[];
}

export type TenantManifest = NamespaceManifest | ResourceQuotaManifest | LimitRangeManifest | ServiceAccountManifest | RoleBindingManifest;

/** Labels on every object of a tenant: what a later prune or a list selects on. */
export const tenantLabels = (tenant: string): Record<string, string> => ({ [TENANT_LABEL]: tenant, [MANAGED_BY_LABEL]: MANAGED_BY });

const meta = (tenant: string, name: string): NamespacedMeta => ({ name, namespace: tenant, labels: tenantLabels(tenant) });

/** The service account a credential of `role` is minted for (one per role, so a view token cannot edit). */
export const credentialServiceAccountName = (role: TenantRole): string => `bosun-${role}`;

/**
 * Binding names are derived from the role alone. roleRef is immutable (004:5583-5880), so a
 * name that encodes the role never needs delete-and-recreate, and re-applying is idempotent;
 * moving a member between roles edits two subject lists.
 */
export const memberBindingName = (role: TenantRole): string => `bosun-members-${role}`;
export const serviceAccountBindingName = (role: TenantRole): string => `bosun-sa-${role}`;

/**
 * A RoleBinding to a built-in ClusterRole: it grants that role in this namespace only
 * (004:5583-5880).
 */
export const roleBinding = (tenant: string, name: string, role: TenantRole, subjects: RbacSubject[]): RoleBindingManifest => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  metadata: meta(tenant, name),
  roleRef: { apiGroup: RBAC_API_GROUP, kind: 'ClusterRole', name: role },
  subjects,
});

export const serviceAccount = (tenant: string, name: string): ServiceAccountManifest => ({
  apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(tenant, name),
});

/** The ServiceAccount of a credential role and the RoleBinding that gives it that role. */
export const credentialAccess = (tenant: string, role: TenantRole): { serviceAccount: ServiceAccountManifest; roleBinding: RoleBindingManifest } => {
  const name = credentialServiceAccountName(role);
  return {
    serviceAccount: serviceAccount(tenant, name),
    roleBinding: roleBinding(tenant, serviceAccountBindingName(role), role, [{ kind: 'ServiceAccount', name, namespace: tenant }]),
  };
};

/** cpu and memory bound both requests and limits; storage bounds claims' requests (000:1539-1684, 000:5576-5610). */
export const quotaHard = (quota: TenantQuota = {}): Record<string, string> => {
  const hard: Record<string, string> = {};
  if (quota.cpu !== undefined) Object.assign(hard, { 'requests.cpu': quota.cpu, 'limits.cpu': quota.cpu });
  if (quota.memory !== undefined) Object.assign(hard, { 'requests.memory': quota.memory, 'limits.memory': quota.memory });
  if (quota.pods !== undefined) hard.pods = String(quota.pods);
  if (quota.storage !== undefined) hard['requests.storage'] = quota.storage;
  if (quota.persistentVolumeClaims !== undefined) hard.persistentvolumeclaims = String(quota.persistentVolumeClaims);
  return hard;
};

const memberBindings = (req: TenantCreateRequest): RoleBindingManifest[] =>
  TENANT_ROLES.flatMap((role) => {
    const subjects = (req.members ?? [])
      .filter((m) => m.role === role)
      .map((m) => toRbacSubject(m.subject))
      .flatMap((s) => (s.ok ? [s.value] : []));
    return subjects.length > 0 ? [roleBinding(req.name, memberBindingName(role), role, subjects)] : [];
  });

/**
 * Everything a tenant is: its Namespace, a ResourceQuota when a quota is asked for, a
 * LimitRange (defaulted as the apiserver would, so Bosun owns every field it sets) when
 * limits are, RoleBindings of its members, and the ServiceAccount its default credentials
 * use. Invalid requests come back as field errors (see validateTenantRequest).
 */
export const buildTenantManifests = (req: TenantCreateRequest): Result<TenantManifests> => {
  const errors = validateTenantRequest(req);
  if (errors.length > 0) return fail(errors);
  const tenant = req.name;
  const hard = quotaHard(req.quota);
  const access = credentialAccess(tenant, DEFAULT_CREDENTIAL_ROLE);
  const manifests: TenantManifests = {
    namespace: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: tenant, labels: tenantLabels(tenant) } },
    serviceAccount: access.serviceAccount,
    roleBindings: [...memberBindings(req), access.roleBinding],
  };
  if (Object.keys(hard).length > 0) {
    manifests.resourceQuota = { apiVersion: 'v1', kind: 'ResourceQuota', metadata: meta(tenant, QUOTA_NAME), spec: { hard } };
  }
  const limits = defaultContainerLimits(req.limits);
  if (Object.keys(limits).length > 1) {
    manifests.limitRange = { apiVersion: 'v1', kind: 'LimitRange', metadata: meta(tenant, LIMIT_RANGE_NAME), spec: { limits: [limits] } };
  }
  return ok(manifests);
};

/**
 * The order to apply them in: the namespace first; quota and limits before anything that
 * could create pods (a pod admitted before the LimitRange gets no defaults); then identities.
 */
export const tenantApplyOrder = (m: TenantManifests): TenantManifest[] => [
  m.namespace,
  ...(m.resourceQuota ? [m.resourceQuota] : []),
  ...(m.limitRange ? [m.limitRange] : []),
  m.serviceAccount,
  ...m.roleBindings,
];
