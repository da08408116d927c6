import { MAX_CREDENTIAL_TTL_SECONDS, MIN_CREDENTIAL_TTL_SECONDS, TENANT_ROLES, type CredentialsRequest, type FieldError, type TenantRole } from '@bosun/contracts';
import { serviceAccountUser } from './rbac.subjects';
import { fail, fieldError, ok, type Result } from '@bosun/contracts';
import { credentialAccess, DEFAULT_CREDENTIAL_ROLE, type RoleBindingManifest, type ServiceAccountManifest } from './tenant.manifests';
import { tenantNameErrors } from './tenant-request.validation';

/** The body of `POST /api/v1/namespaces/<ns>/serviceaccounts/<sa>/token` (`kubectl create token --duration`, 004:5250-5254). */
export interface TokenRequestBody {
  apiVersion: 'authentication.k8s.io/v1';
  kind: 'TokenRequest';
  /** No audiences: the apiserver's own, so the token works against it. */
  spec: { audiences: string[]; expirationSeconds: number };
}

export interface CredentialsPlan {
  namespace: string;
  serviceAccountName: string;
  /** The user the token authenticates as: `system:serviceaccount:<ns>:<sa>`. */
  user: string;
  role: TenantRole;
  /** Applied first (idempotent): the account and the RoleBinding that grants `role` in this namespace only. */
  serviceAccount: ServiceAccountManifest;
  roleBinding: RoleBindingManifest;
  tokenRequest: TokenRequestBody;
}

/** The apiserver's TokenRequest validation, on our request's field. */
const ttlErrors = (ttl: unknown): FieldError[] => {
  if (typeof ttl !== 'number' || !Number.isInteger(ttl)) return [fieldError('ttlSeconds', `Invalid value: ${JSON.stringify(ttl)}: must be a whole number of seconds`)];
  if (ttl < MIN_CREDENTIAL_TTL_SECONDS) return [fieldError('ttlSeconds', `Invalid value: ${ttl}: may not specify a duration less than 10 minutes`)];
  if (ttl > MAX_CREDENTIAL_TTL_SECONDS) return [fieldError('ttlSeconds', `Invalid value: ${ttl}: may not specify a duration larger than 2^32 seconds`)];
  return [];
};

const roleErrors = (role: unknown): FieldError[] =>
  role === undefined || (TENANT_ROLES as readonly unknown[]).includes(role)
    ? []
    : [fieldError('role', `Unsupported value: ${JSON.stringify(role)}: supported values: "view", "edit", "admin"`)];

/**
 * What minting a tenant credential takes: the role's ServiceAccount and RoleBinding (a
 * RoleBinding to the built-in ClusterRole, so the token works in the tenant namespace only)
 * and the TokenRequest for `ttlSeconds` (≥ 600, as the apiserver requires).
 */
export const planCredentials = (tenant: string, req: CredentialsRequest): Result<CredentialsPlan> => {
  const errors = [...tenantNameErrors(tenant), ...ttlErrors(req.ttlSeconds), ...roleErrors(req.role)];
  if (errors.length > 0) return fail(errors);
  const role = req.role ?? DEFAULT_CREDENTIAL_ROLE;
  const { serviceAccount, roleBinding } = credentialAccess(tenant, role);
  const name = serviceAccount.metadata.name;
  return ok({
    namespace: tenant,
    serviceAccountName: name,
    user: serviceAccountUser(tenant, name),
    role,
    serviceAccount,
    roleBinding,
    tokenRequest: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { audiences: [], expirationSeconds: req.ttlSeconds } },
  });
};
