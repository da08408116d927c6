import { TENANT_ROLES, type TenantMember, type TenantRole, type TenantView } from '@bosun/contracts';
import type { Namespace, ResourceQuota } from 'kubernetes-types/core/v1';
import type { RoleBinding, Subject } from 'kubernetes-types/rbac/v1';
import { quotaView } from './quota.view';
import { memberBindingName, TENANT_LABEL } from './tenant.manifests';

/** The Bosun subject of an RBAC subject: the inverse of `toRbacSubject`. */
export const fromRbacSubject = (s: Subject): string | undefined => {
  if (s.kind === 'User') return `user:${s.name}`;
  if (s.kind === 'Group') return `group:${s.name}`;
  if (s.kind === 'ServiceAccount' && s.namespace) return `serviceaccount:${s.namespace}:${s.name}`;
  return undefined;
};

/** A namespace is a tenant when it carries the tenant label with its own name (so a stray label cannot claim another namespace). */
export const isTenantNamespace = (ns: Namespace | undefined): boolean =>
  ns?.metadata?.name !== undefined && ns.metadata.labels?.[TENANT_LABEL] === ns.metadata.name;

/** Members read back from the `bosun-members-<role>` RoleBindings (the service-account bindings are not members). */
export const tenantMembers = (bindings: readonly RoleBinding[]): TenantMember[] =>
  TENANT_ROLES.flatMap((role: TenantRole) => {
    const binding = bindings.find((b) => b.metadata?.name === memberBindingName(role) && b.roleRef.name === role);
    return (binding?.subjects ?? []).flatMap((s) => {
      const subject = fromRbacSubject(s);
      return subject ? [{ subject, role }] : [];
    });
  });

/** `GET /v1/tenants/{name}`: the namespace's phase, its quota's hard, used and headroom, and its members. */
export const tenantView = (ns: Namespace, quota: ResourceQuota | undefined, bindings: readonly RoleBinding[]): TenantView => ({
  name: ns.metadata?.name ?? '',
  ...(ns.status?.phase ? { phase: ns.status.phase } : {}),
  quota: quotaView(quota),
  members: tenantMembers(bindings),
});
