import { Inject, Injectable } from '@nestjs/common';
import type { TenantCreateRequest, TenantCreateResult, TenantDeleteResult, TenantRef } from '@bosun/contracts';
import { BOSUN_CONFIG } from '@bosun/config';
import type { BosunConfig } from '@bosun/config';
import { CLUSTER_REGISTRY } from '@bosun/kube';
import type { ClusterRegistry, Identity, KubeObject, KubePort } from '@bosun/kube';
import type { BosunLogger } from '@bosun/logging';
import {
  buildTenantManifests, isTenantNamespace, memberBindingName, TENANT_LABEL, tenantApplyOrder, tenantView, tenantWarnings,
} from '@bosun/provisioner-domain';
import type { TenantManifests } from '@bosun/provisioner-domain';
import { invalid, LOGGER, OperationFailure } from '@bosun/service-kit';
import type { OperationContext } from '@bosun/service-kit';
import { pause } from '../kube/wait';
import { namespaceRef, TenantReader } from './tenant.reader';
import type { NamespaceObject } from './tenant.reader';

const POLL_MS = 500;
const MEMBER_BINDING_PREFIX = memberBindingName('view').replace(/view$/, '');

/**
 * Tenant operations. Every call impersonates the operation's subject, so Kubernetes decides:
 * its escalation guard refuses a RoleBinding to a role the subject does not hold itself.
 * Server-side apply is idempotent, so a retried or resumed create simply applies again;
 * a delete is conditional on the uid it read, so a retry never deletes a namesake.
 */
@Injectable()
export class TenantOperations {
  constructor(
    @Inject(CLUSTER_REGISTRY) private readonly registry: ClusterRegistry,
    @Inject(BOSUN_CONFIG) private readonly config: BosunConfig,
    @Inject(LOGGER) private readonly logger: BosunLogger,
  ) {}

  async create(req: TenantCreateRequest, op: OperationContext): Promise<TenantCreateResult> {
    const built = buildTenantManifests(req);
    if (!built.ok) throw invalid(built.errors, 'invalid tenant');
    const { operationId, cluster, identity: as } = op.operation;
    const port = await this.registry.resolve(cluster);
    const existing = await new TenantReader(port, as).namespace(req.name);
    refuseForeign(existing, req.name);
    const [namespace, ...rest] = tenantApplyOrder(built.value);
    const total = rest.length + 1;
    op.throwIfStopped();
    const ns = await port.apply(namespace as unknown as KubeObject, { as, force: true });
    op.progress({ current: 1, total, message: `applied ${namespace.kind} ${namespace.metadata.name}` });
    // Everything else only needs the namespace: applied together, the way `kubectl apply -f dir` would not.
    let done = 1;
    const applied = await Promise.all(rest.map(async (obj) => {
      op.throwIfStopped();
      const answer = await port.apply(obj as unknown as KubeObject, { as, force: true });
      op.progress({ current: ++done, total, message: `applied ${obj.kind} ${obj.metadata.name}` });
      return answer;
    }));
    // A brand-new namespace has no bindings of former members to prune.
    const pruned = existing ? await this.pruneMemberBindings(port, built.value, as) : 0;
    this.logger.info({ operationId, tenant: req.name, objects: total, pruned }, 'tenant applied');
    // The view from what the apiserver answered to the applies, not a second round of reads.
    const quota = applied.find((o) => o.kind === 'ResourceQuota');
    const bindings = applied.filter((o) => o.kind === 'RoleBinding');
    return { ...tenantView(ns as never, quota as never, bindings as never), warnings: tenantWarnings(req) };
  }

  async remove(ref: TenantRef, op: OperationContext): Promise<TenantDeleteResult> {
    const { operationId, cluster, identity: as, acceptedAt } = op.operation;
    const port = await this.registry.resolve(cluster);
    const reader = new TenantReader(port, as);
    const ns = await reader.namespace(ref.name);
    if (!ns) return { name: ref.name, deleted: false };
    if (!isTenantNamespace(ns)) throw new OperationFailure('NotFound', `tenant "${ref.name}" not found: namespace "${ref.name}" is not a Bosun tenant`);
    const uid = ns.metadata.uid as string | undefined;
    if (!ns.metadata.deletionTimestamp) await port.delete(namespaceRef(ref.name), { as, preconditions: { uid } });
    this.logger.info({ operationId, tenant: ref.name }, 'tenant namespace deleting');
    await this.waitGone(reader, ref.name, uid, acceptedAt + this.config.rolloutTimeoutSeconds * 1000, op);
    return { name: ref.name, deleted: true };
  }

  /** Deleting a namespace deletes everything in it; the namespace controller reports what is left in its conditions. */
  private async waitGone(reader: TenantReader, name: string, uid: string | undefined, deadline: number, op: OperationContext): Promise<void> {
    let last = '';
    for (;;) {
      op.throwIfStopped();
      const ns = await reader.namespace(name);
      if (!ns || (uid && ns.metadata.uid !== uid)) return;
      const message = `namespace ${name} is ${ns.status?.phase ?? 'Terminating'}${remaining(ns)}`;
      if (message !== last) op.progress({ current: 0, total: 1, message });
      last = message;
      if (Date.now() > deadline) {
        throw new OperationFailure('DeleteTimeout', `${message} after ${this.config.rolloutTimeoutSeconds} s`, { result: { name, conditions: ns.status?.conditions ?? [] } });
      }
      await pause(POLL_MS, op.signal);
    }
  }

  /** A role that lost all its members keeps no binding (the names encode the role, see the domain). */
  private async pruneMemberBindings(port: KubePort, m: TenantManifests, as: Identity): Promise<number> {
    const keep = new Set(m.roleBindings.map((b) => b.metadata.name));
    const tenant = m.namespace.metadata.name;
    const existing = await port.list({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', namespace: tenant, labelSelector: `${TENANT_LABEL}=${tenant}` }, { as });
    const stale = existing.filter((b) => b.metadata.name.startsWith(MEMBER_BINDING_PREFIX) && !keep.has(b.metadata.name));
    for (const b of stale) await port.delete({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', namespace: tenant, name: b.metadata.name }, { as });
    return stale.length;
  }
}

/** A namespace that exists is only taken over when it is this tenant already (create again = update). */
const refuseForeign = (ns: NamespaceObject | undefined, name: string): void => {
  if (!ns) return;
  if (!isTenantNamespace(ns)) throw new OperationFailure('AlreadyExists', `namespaces "${name}" already exists and is not a Bosun tenant`);
  if (ns.metadata.deletionTimestamp) {
    throw new OperationFailure('Conflict', `namespace "${name}" is Terminating: create the tenant again once its deletion has finished`);
  }
};

const remaining = (ns: NamespaceObject): string => {
  const words = (ns.status?.conditions ?? []).filter((c) => c.status === 'True' && c.message).map((c) => c.message);
  return words.length ? `: ${words.join('; ')}` : '';
};
