// Test-only: the deployer on the kit's service harness, plus what its tests read from the cluster.
import type { KubeObject } from '@bosun/kube';
import { ADMIN, ServiceHarness } from '@bosun/service-kit/testing';
import type { HarnessOptions } from '@bosun/service-kit/testing';
import { ClustersModule } from '../clusters/clusters.module';
import { DeploymentsModule } from '../deployments/deployments.module';

export { ADMIN };
export type { OperationEvent } from '@bosun/service-kit/testing';
export type Json = KubeObject & { metadata: Record<string, any>; [k: string]: any };

const OPTIONS: HarnessOptions = {
  service: 'deployer', modules: [DeploymentsModule, ClustersModule], kindPrefix: 'deployment', targetKind: 'Deployment',
  env: { BOSUN_ROLLOUT_TIMEOUT_SECONDS: '90' },
};

export class DeployerHarness extends ServiceHarness {
  static override async create(): Promise<DeployerHarness> {
    const c = await ServiceHarness.connect(OPTIONS);
    return new DeployerHarness(OPTIONS, c.nc, c.publisher, c.control, c.queries);
  }

  deployment(namespace: string, name: string): Promise<Json | undefined> {
    return this.admin.get<Json>({ apiVersion: 'apps/v1', kind: 'Deployment', namespace, name });
  }

  async replicaSets(namespace: string): Promise<Json[]> {
    return this.admin.list<Json>({ apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace });
  }
}

export const revisionOf = (d: Json | undefined): number => Number(d?.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
