import type { OwnerReference } from 'kubernetes-types/meta/v1';
import type { Pod } from 'kubernetes-types/core/v1';

/** The annotation the kubelet puts on the API mirror of a static pod. */
export const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

/** `namespace/name`, the way kubectl and Bosun's API name a pod. */
export const podKey = (pod: Pod): string => `${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''}`;

/** The owner reference with `controller: true` (metav1.GetControllerOf). */
export const controllerOf = (pod: Pod): OwnerReference | undefined => pod.metadata?.ownerReferences?.find((o) => o.controller === true);

/** Succeeded or Failed: the pod has already stopped, removing it disrupts nothing. */
export const isFinished = (pod: Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

export const isTerminating = (pod: Pod): boolean => pod.metadata?.deletionTimestamp !== undefined && pod.metadata.deletionTimestamp !== null;

export const isMirror = (pod: Pod): boolean => pod.metadata?.annotations?.[MIRROR_POD_ANNOTATION] !== undefined;

/** Only emptyDir counts as local storage for drain (kubectl's hasLocalStorage). */
export const hasLocalStorage = (pod: Pod): boolean => (pod.spec?.volumes ?? []).some((v) => v.emptyDir !== undefined && v.emptyDir !== null);

/** The Ready condition is True (podutil.IsPodReady). */
export const isReady = (pod: Pod): boolean => (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
