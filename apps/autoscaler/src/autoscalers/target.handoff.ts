import { AUTOSCALER_MANAGED_BY_ANNOTATION } from '@bosun/contracts';
import type { AutoscalerCreateRequest } from '@bosun/contracts';
import { isKubeError } from '@bosun/kube';
import type { KubePort } from '@bosun/kube';
import { workloadRef } from '../loop/workload.reader';

// The replicas hand-off (ADR 0004): while an autoscaler manages a workload it carries
// `autoscaling.bosun.dev/managed-by: <id>`, so a deploy applies the live replica count instead
// of the manifest's. The annotation is Bosun's bookkeeping, written with Bosun's own
// credentials (like the operation marker): it changes nothing the workload does, and the
// creator's RBAC still decides every scale.

const POINTER = `/metadata/annotations/${AUTOSCALER_MANAGED_BY_ANNOTATION.replace(/~/g, '~0').replace(/\//g, '~1')}`;

/** The annotation's value on the live object, if any. */
export const managedBy = (obj: { metadata: { annotations?: Record<string, string> } } | undefined): string | undefined =>
  obj?.metadata.annotations?.[AUTOSCALER_MANAGED_BY_ANNOTATION];

export async function markManaged(kube: KubePort, target: AutoscalerCreateRequest['target'], id: string): Promise<void> {
  await kube.patch(workloadRef(target), { metadata: { annotations: { [AUTOSCALER_MANAGED_BY_ANNOTATION]: id } } }, 'merge');
}

/** Removes the annotation only while it still names this autoscaler (a JSON patch `test` makes that atomic). */
export async function unmarkManaged(kube: KubePort, target: AutoscalerCreateRequest['target'], id: string): Promise<void> {
  try {
    await kube.patch(workloadRef(target), [{ op: 'test', path: POINTER, value: id }, { op: 'remove', path: POINTER }], 'json');
  } catch (e) {
    // Gone, or the annotation names someone else (or no one): nothing of ours to remove.
    if (isKubeError(e) && ['NotFound', 'Invalid', 'UnprocessableEntity', 'Conflict'].includes(e.reason)) return;
    if (isKubeError(e) && e.status === 422) return;
    throw e;
  }
}
