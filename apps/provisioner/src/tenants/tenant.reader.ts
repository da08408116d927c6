import type { TenantView } from '@bosun/contracts';
import type { Identity, KubeObject, KubePort } from '@bosun/kube';
import { isTenantNamespace, QUOTA_NAME, TENANT_LABEL, tenantView } from '@bosun/provisioner-domain';
import { OperationFailure } from '@bosun/service-kit';
import type { Namespace, ResourceQuota } from 'kubernetes-types/core/v1';
import type { RoleBinding } from 'kubernetes-types/rbac/v1';

type Kube<T> = KubeObject & T;
export type NamespaceObject = Kube<Namespace & { metadata: { name: string } }>;

export const namespaceRef = (name: string): { apiVersion: 'v1'; kind: 'Namespace'; name: string } => ({ apiVersion: 'v1', kind: 'Namespace', name });

/** Reads tenants as the asking subject: Kubernetes RBAC decides what they may see. */
export class TenantReader {
  constructor(private readonly port: KubePort, private readonly as?: Identity) {}

  namespace(name: string): Promise<NamespaceObject | undefined> {
    return this.port.get<NamespaceObject>(namespaceRef(name), { as: this.as });
  }

  /** The tenant's namespace; NotFound when there is none or it is not a Bosun tenant. */
  async tenantNamespace(name: string): Promise<NamespaceObject> {
    const ns = await this.namespace(name);
    if (!ns || !isTenantNamespace(ns)) throw new OperationFailure('NotFound', `tenant "${name}" not found`);
    return ns;
  }

  async view(name: string): Promise<TenantView> {
    const ns = await this.tenantNamespace(name);
    const [quota, bindings] = await Promise.all([
      this.port.get<Kube<ResourceQuota>>({ apiVersion: 'v1', kind: 'ResourceQuota', namespace: name, name: QUOTA_NAME }, { as: this.as }),
      this.port.list<Kube<RoleBinding>>({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', namespace: name, labelSelector: `${TENANT_LABEL}=${name}` }, { as: this.as }),
    ]);
    return tenantView(ns, quota, bindings);
  }

  /** Every tenant, by name: three list calls, however many tenants there are. */
  async list(): Promise<TenantView[]> {
    const byTenant = { labelSelector: TENANT_LABEL };
    const [namespaces, quotas, bindings] = await Promise.all([
      this.port.list<NamespaceObject>({ apiVersion: 'v1', kind: 'Namespace', ...byTenant }, { as: this.as }),
      this.port.list<Kube<ResourceQuota>>({ apiVersion: 'v1', kind: 'ResourceQuota', ...byTenant }, { as: this.as }),
      this.port.list<Kube<RoleBinding>>({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', ...byTenant }, { as: this.as }),
    ]);
    return namespaces
      .filter(isTenantNamespace)
      .map((ns) => {
        const name = ns.metadata.name;
        const quota = quotas.find((q) => q.metadata.namespace === name && q.metadata.name === QUOTA_NAME);
        return tenantView(ns, quota, bindings.filter((b) => b.metadata.namespace === name));
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }
}
