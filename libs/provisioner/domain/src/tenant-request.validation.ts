import { DNS1123_LABEL, TENANT_ROLES, type FieldError, type TenantCreateRequest, type TenantQuota } from '@bosun/contracts';
import { parseQuantity } from '@bosun/quantity';
import { limitRangeErrors } from './limit-range.rules';
import { toRbacSubject } from './rbac.subjects';
import { fieldError } from '@bosun/contracts';

// The checks the apiserver (or Bosun's own policy) would make that the contract's schema
// cannot: reserved names, quantities, min ≤ default ≤ max, members. Run after the schema;
// each check also stands on its own for a caller that skipped it.

/** Namespaces a tenant may never take over (000:5031-5168). */
export const RESERVED_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** Upstream's words for a bad DNS label (`IsDNS1123Label`). */
const LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

/** A tenant's namespace name: a DNS label ≤ 63, not `default`, not `kube-*` (004:2598-2645). */
export const tenantNameErrors = (name: unknown, path = 'name'): FieldError[] => {
  if (typeof name !== 'string' || name.length === 0) return [fieldError(path, 'name is required')];
  const errors: FieldError[] = [];
  if (name.length > 63) errors.push(fieldError(path, `Invalid value: "${name}": must be no more than 63 characters`));
  if (!DNS1123_LABEL.test(name)) errors.push(fieldError(path, `Invalid value: "${name}": ${LABEL_MESSAGE}`));
  if (name.startsWith('kube-')) {
    errors.push(fieldError(path, `Invalid value: "${name}": the "kube-" prefix is reserved for Kubernetes system namespaces`));
  } else if (RESERVED_NAMESPACES.includes(name)) {
    errors.push(fieldError(path, `Invalid value: "${name}": "${name}" is a Kubernetes system namespace, not a tenant`));
  }
  return errors;
};

const isCount = (v: unknown): boolean =>
  (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) || (typeof v === 'string' && /^\d+$/.test(v));

const quotaErrors = (quota: TenantQuota | undefined): FieldError[] => {
  if (quota === undefined) return [];
  const errors: FieldError[] = [];
  for (const key of ['cpu', 'memory', 'storage'] as const) {
    const text = quota[key];
    if (text === undefined) continue;
    const parsed = parseQuantity(String(text), `quota.${key}`);
    if (!parsed.ok) errors.push(...parsed.errors);
    else if (parsed.value.mantissa < 0n) errors.push(fieldError(`quota.${key}`, `Invalid value: "${text}": must be greater than or equal to 0`));
  }
  for (const key of ['pods', 'persistentVolumeClaims'] as const) {
    const value = quota[key];
    if (value !== undefined && !isCount(value)) errors.push(fieldError(`quota.${key}`, `Invalid value: ${JSON.stringify(value)}: must be a whole number, 0 or more`));
  }
  return errors;
};

const memberErrors = (members: TenantCreateRequest['members'] = []): FieldError[] => {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  members.forEach((member, i) => {
    const subject = toRbacSubject(String(member.subject), `members.${i}.subject`);
    if (!subject.ok) errors.push(...subject.errors);
    if (!(TENANT_ROLES as readonly string[]).includes(member.role)) {
      errors.push(fieldError(`members.${i}.role`, `Unsupported value: "${member.role}": supported values: "view", "edit", "admin"`));
    }
    // One role per subject: the built-in roles nest (admin ⊃ edit ⊃ view), so two are a mistake.
    if (seen.has(member.subject)) errors.push(fieldError(`members.${i}.subject`, `Duplicate value: "${member.subject}"`));
    seen.add(member.subject);
  });
  return errors;
};

/**
 * Every rule that `buildTenantManifests` relies on and the schema does not check; `[]`
 * means the manifests will apply. Each error names the request path (`quota.cpu`,
 * `limits.max.memory`, `members.1.role`).
 */
export const validateTenantRequest = (req: TenantCreateRequest): FieldError[] => [
  ...tenantNameErrors(req.name),
  ...quotaErrors(req.quota),
  ...limitRangeErrors(req.limits, 'limits'),
  ...memberErrors(req.members),
];

/**
 * Advice, not errors: with a cpu or memory quota every pod must state that resource's
 * requests and limits, unless the LimitRange supplies defaults (a default limit or a max,
 * which defaulting turns into both). Without one, pods that say nothing are refused
 * (000:1185-1187, 004:3659-3737).
 */
export const tenantWarnings = (req: TenantCreateRequest): FieldError[] =>
  (['cpu', 'memory'] as const)
    .filter((r) => req.quota?.[r] !== undefined && req.limits?.default?.[r] === undefined && req.limits?.max?.[r] === undefined)
    .map((r) => fieldError(`quota.${r}`, `pods that do not set ${r} requests and limits will be refused by this quota; set limits.default.${r} so they get defaults`));
