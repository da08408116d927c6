import { Injectable } from '@nestjs/common';
import type { AutoscalerCreateRequest } from '@bosun/contracts';
import { selectorMatches } from '@bosun/autoscaler-domain';
import type { LabelSelectorLike, PodLike } from '@bosun/autoscaler-domain';
import type { KubeObject, KubePort, ObjectRef } from '@bosun/kube';

export type WorkloadObject = KubeObject & { spec?: { replicas?: number; selector?: LabelSelectorLike }; metadata: KubeObject['metadata'] & { annotations?: Record<string, string> } };
export type PodObject = KubeObject & PodLike & { metadata: PodLike['metadata'] & { labels?: Record<string, string> } };

export interface Workload { object: WorkloadObject; replicas: number; pods: PodObject[] }

export const workloadRef = (target: AutoscalerCreateRequest['target']): ObjectRef => ({ apiVersion: 'apps/v1', kind: target.kind, namespace: target.namespace, name: target.name });

/**
 * The target and its pods from the cluster's shared informers (one list+watch per kind for
 * every autoscaler), so a tick costs no request for them.
 */
@Injectable()
export class WorkloadReader {
  async read(kube: KubePort, target: AutoscalerCreateRequest['target']): Promise<Workload | undefined> {
    const workloads = kube.informer<WorkloadObject>({ apiVersion: 'apps/v1', kind: target.kind });
    const pods = kube.informer<PodObject>({ apiVersion: 'v1', kind: 'Pod' });
    await Promise.all([workloads.start(), pods.start()]);
    const object = workloads.get(target.namespace, target.name);
    if (!object) return undefined;
    const selected = pods.list(target.namespace).filter((p) => selectorMatches(object.spec?.selector, p.metadata.labels));
    return { object, replicas: object.spec?.replicas ?? 1, pods: selected };
  }
}
