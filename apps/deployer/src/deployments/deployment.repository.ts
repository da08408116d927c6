import { ownedReplicaSets } from '@bosun/deployer-domain';
import type { Deployment, KubeEvent, Pod, ReplicaSet } from '@bosun/deployer-domain';
import { isKubeError } from '@bosun/kube';
import type { Identity, KubeObject, KubePort, ObjectRef } from '@bosun/kube';
import { deploymentNotFound, namespaceNotFound } from './operation.failure';

export type DeploymentObject = KubeObject & Deployment;

export const deploymentRef = (namespace: string, name: string): ObjectRef => ({ apiVersion: 'apps/v1', kind: 'Deployment', namespace, name });

/** `matchLabels` as a label selector (`a=b,c=d`); Bosun's Deployments use only matchLabels. */
export const selectorOf = (d: Deployment): string =>
  Object.entries(d.spec?.selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');

/**
 * Reads for one Deployment, every call made as `as` (the asking or operating subject),
 * so Kubernetes RBAC decides what they may see.
 */
export class DeploymentRepository {
  constructor(private readonly port: KubePort, private readonly as?: Identity) {}

  get(namespace: string, name: string): Promise<DeploymentObject | undefined> {
    return this.port.get<DeploymentObject>(deploymentRef(namespace, name), { as: this.as });
  }

  /** The Deployment, or an operation failure `NotFound` in the apiserver's words. */
  async require(namespace: string, name: string): Promise<DeploymentObject> {
    const d = await this.get(namespace, name);
    if (!d) throw deploymentNotFound(name);
    return d;
  }

  /**
   * Fails `NotFound` in the apiserver's words when the namespace does not exist. A quorum read
   * (no resourceVersion), so a namespace created just before is found. Asked before creating
   * into it because the apiserver refuses such a create only after its NamespaceLifecycle
   * admission has waited 50 ms for its cache (`missingNamespaceWait`). A subject that may
   * not read the namespace gets no verdict here: the apply itself says what Kubernetes decides.
   */
  async requireNamespace(namespace: string): Promise<void> {
    try {
      if (await this.port.get({ apiVersion: 'v1', kind: 'Namespace', name: namespace }, { as: this.as })) return;
    } catch (err) {
      if (isKubeError(err, 'Forbidden')) return;
      throw err;
    }
    throw namespaceNotFound(namespace);
  }

  list(namespace?: string): Promise<DeploymentObject[]> {
    return this.port.list<DeploymentObject>({ apiVersion: 'apps/v1', kind: 'Deployment', namespace }, { as: this.as });
  }

  /** ReplicaSets of one namespace (all when undefined), unfiltered. */
  async allReplicaSets(namespace?: string): Promise<ReplicaSet[]> {
    return this.port.list<KubeObject & ReplicaSet>({ apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace }, { as: this.as });
  }

  /** The ReplicaSets this Deployment controls (its revisions). */
  async replicaSetsOf(d: Deployment): Promise<ReplicaSet[]> {
    const all = await this.port.list<KubeObject & ReplicaSet>(
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace: d.metadata?.namespace, labelSelector: selectorOf(d) || undefined },
      { as: this.as },
    );
    return ownedReplicaSets(d, all);
  }

  /** The Deployment's pods, old and new, by its selector. */
  podsOf(d: Deployment): Promise<Pod[]> {
    return this.port.list<KubeObject & Pod>({ apiVersion: 'v1', kind: 'Pod', namespace: d.metadata?.namespace, labelSelector: selectorOf(d) || undefined }, { as: this.as });
  }

  /** Events of the namespace; diagnosis keeps those about the Deployment's pods and ReplicaSets. */
  eventsIn(namespace: string): Promise<KubeEvent[]> {
    return this.port.list<KubeObject & KubeEvent>({ apiVersion: 'v1', kind: 'Event', namespace }, { as: this.as });
  }
}
