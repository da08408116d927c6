import type { NodeView } from '@bosun/contracts';
import type { Identity, KubeObject, KubePort } from '@bosun/kube';
import { nodeDetails, podsPerNode } from '@bosun/provisioner-domain';
import type { ControllerScale } from '@bosun/provisioner-domain';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';

export type NodeObject = KubeObject & Node & { metadata: { name: string } };
export type PodObject = KubeObject & Pod & { metadata: { name: string; namespace: string } };
type Scaled = KubeObject & { metadata: { name: string; namespace: string; uid?: string }; spec?: { replicas?: number } };

export const nodeRef = (name: string): { apiVersion: 'v1'; kind: 'Node'; name: string } => ({ apiVersion: 'v1', kind: 'Node', name });

/** The workload controllers whose pods a drain and a budget reason about (the disruption controller's finders). */
const CONTROLLER_KINDS = [
  { apiVersion: 'apps/v1', kind: 'ReplicaSet' }, { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'apps/v1', kind: 'DaemonSet' }, { apiVersion: 'v1', kind: 'ReplicationController' },
];

/** Reads nodes and what runs on them, as the asking subject. */
export class NodeReader {
  constructor(private readonly port: KubePort, private readonly as?: Identity) {}

  node(name: string): Promise<NodeObject | undefined> {
    return this.port.get<NodeObject>(nodeRef(name), { as: this.as });
  }

  async list(): Promise<NodeView[]> {
    const [nodes, pods] = await Promise.all([
      this.port.list<NodeObject>({ apiVersion: 'v1', kind: 'Node' }, { as: this.as }),
      this.port.list<PodObject>({ apiVersion: 'v1', kind: 'Pod', fieldSelector: 'status.phase!=Succeeded,status.phase!=Failed' }, { as: this.as }),
    ]);
    const counts = podsPerNode(pods);
    return nodes.map((n) => nodeDetails(n, counts.get(n.metadata.name) ?? 0)).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Every pod bound to the node, in every namespace. */
  podsOn(node: string): Promise<PodObject[]> {
    return this.port.list<PodObject>({ apiVersion: 'v1', kind: 'Pod', fieldSelector: `spec.nodeName=${node}` }, { as: this.as });
  }

  /** What a plan needs besides the node's pods: per namespace, its budgets, all its pods and its controllers' scale. */
  async budgetContext(namespaces: readonly string[]): Promise<{ budgets: PodDisruptionBudget[]; namespacePods: Pod[]; controllers: ControllerScale[] }> {
    const perNamespace = await Promise.all(namespaces.map((ns) => this.namespaceContext(ns)));
    return {
      budgets: perNamespace.flatMap((c) => c.budgets),
      namespacePods: perNamespace.flatMap((c) => c.pods),
      controllers: perNamespace.flatMap((c) => c.controllers),
    };
  }

  private async namespaceContext(namespace: string): Promise<{ budgets: PodDisruptionBudget[]; pods: Pod[]; controllers: ControllerScale[] }> {
    const opts = { as: this.as };
    const [budgets, pods, ...scaled] = await Promise.all([
      this.port.list<KubeObject & PodDisruptionBudget>({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', namespace }, opts),
      this.port.list<PodObject>({ apiVersion: 'v1', kind: 'Pod', namespace }, opts),
      ...CONTROLLER_KINDS.map((k) => this.port.list<Scaled>({ ...k, namespace }, opts)),
    ]);
    const controllers = scaled.flat().map((c) => ({
      kind: c.kind, namespace, name: c.metadata.name, ...(c.metadata.uid ? { uid: c.metadata.uid } : {}),
      ...(c.spec?.replicas !== undefined ? { replicas: c.spec.replicas } : {}),
    }));
    return { budgets, pods, controllers };
  }
}
