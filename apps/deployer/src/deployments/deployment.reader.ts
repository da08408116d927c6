import type { DeploymentView, Diagnosis, HistoryItem } from '@bosun/contracts';
import { diagnose, history, toDeploymentView } from '@bosun/deployer-domain';
import type { ReplicaSet } from '@bosun/deployer-domain';
import type { DeploymentRepository } from './deployment.repository';

const byNamespace = (replicaSets: ReplicaSet[]): Map<string, ReplicaSet[]> => {
  const out = new Map<string, ReplicaSet[]>();
  for (const rs of replicaSets) {
    const ns = rs.metadata?.namespace ?? '';
    out.set(ns, [...(out.get(ns) ?? []), rs]);
  }
  return out;
};

/** The read side of `GET /v1/deployments…`: the domain's views over what the asker may read. */
export class DeploymentReader {
  constructor(private readonly repo: DeploymentRepository) {}

  async get(namespace: string, name: string): Promise<DeploymentView> {
    const d = await this.repo.require(namespace, name);
    return toDeploymentView(d, await this.repo.replicaSetsOf(d));
  }

  /** One namespace, or all of them; ordered by namespace and name. */
  async list(namespace?: string): Promise<DeploymentView[]> {
    const [deployments, replicaSets] = await Promise.all([this.repo.list(namespace), this.repo.allReplicaSets(namespace)]);
    const grouped = byNamespace(replicaSets);
    return deployments
      .map((d) => toDeploymentView(d, grouped.get(d.metadata.namespace ?? '') ?? []))
      .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  }

  /** Revisions oldest first, from the Deployment's ReplicaSets. */
  async history(namespace: string, name: string): Promise<{ items: HistoryItem[] }> {
    const d = await this.repo.require(namespace, name);
    return { items: history(d, await this.repo.replicaSetsOf(d)) };
  }

  /** Pods by the Deployment's selector, its ReplicaSets, and the namespace's events. */
  async diagnosis(namespace: string, name: string): Promise<Diagnosis> {
    const d = await this.repo.require(namespace, name);
    const [replicaSets, pods, events] = await Promise.all([this.repo.replicaSetsOf(d), this.repo.podsOf(d), this.repo.eventsIn(namespace)]);
    return diagnose({ deployment: d, replicaSets, pods, events });
  }
}
