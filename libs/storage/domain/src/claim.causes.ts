import type { DiagnosisCause } from '@bosun/contracts';
import { HINTS, type CauseCode } from './claim.hints';
import { defaultClassState } from './default-class.rules';
import { KEYS, NO_PROVISIONER, type CoreEvent, type Pod, type StorageClass } from './kube-types';
import { claimClassOf, type PreparedClaim } from './volume.matcher';

// Claim-level causes of a Pending claim, in the PV controller's own words where it has some
// (pv_controller.go: syncUnboundClaim, emitEventForUnboundDelayBindingClaim, provisionClaim).

export const cause = (code: CauseCode, message: string): DiagnosisCause => ({ code, message, hint: HINTS[code] });

/** The claim's class, resolved: its StorageClass, or why there is none. */
export interface ClassResolution {
  /** The class name the claim asks for ("" for none). */
  name: string;
  storageClass?: StorageClass;
  causes: DiagnosisCause[];
}

const unsetClassCauses = (classes: readonly StorageClass[]): DiagnosisCause[] => {
  const state = defaultClassState(classes);
  if (state.marked.length === 0) {
    return [cause('NoDefaultStorageClass', 'the claim names no storageClassName and the cluster has no default StorageClass')];
  }
  if (state.marked.length > 1) {
    return [cause('MultipleDefaultStorageClasses', `${state.marked.length} StorageClasses are marked default (${state.marked.join(', ')}), which behaves like none`)];
  }
  return [cause('DefaultClassUnassigned', `the claim names no storageClassName; the PV controller assigns the default class "${state.default}" to it`)];
};

/** Resolves the claim's class; the causes only matter when no volume matches. */
export const resolveClass = (claim: PreparedClaim, classes: readonly StorageClass[]): ClassResolution => {
  const requested = claimClassOf(claim.claim);
  if (requested === undefined) return { name: '', causes: unsetClassCauses(classes) };
  if (requested === '') return { name: '', causes: [] };
  const storageClass = classes.find((sc) => sc.metadata?.name === requested);
  if (storageClass) return { name: requested, storageClass, causes: [] };
  return { name: requested, causes: [cause('StorageClassNotFound', `storageclass.storage.k8s.io "${requested}" not found`)] };
};

const terminated = (pod: Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

/** The claims a pod mounts: named ones, and generic ephemeral volumes' `<pod>-<volume>` claims. */
const claimsOf = (pod: Pod): string[] =>
  (pod.spec?.volumes ?? []).flatMap((v) => {
    if (v.persistentVolumeClaim) return [v.persistentVolumeClaim.claimName];
    return v.ephemeral ? [`${pod.metadata?.name ?? ''}-${v.name}`] : [];
  });

/** Live pods of the claim's namespace that mount it. */
export const podsUsingClaim = (claim: { namespace: string; name: string }, pods: readonly Pod[]): Pod[] =>
  pods.filter((pod) => (pod.metadata?.namespace ?? 'default') === claim.namespace && !terminated(pod) && claimsOf(pod).includes(claim.name));

/** WaitForFirstConsumer without a selected node: the controller's WaitForFirstConsumer / WaitForPodScheduled words. */
export const delayBindingCauses = (claim: PreparedClaim, pods: readonly Pod[]): DiagnosisCause[] => {
  if (claim.claim.metadata?.annotations?.[KEYS.selectedNode] !== undefined) return [];
  const waiting = podsUsingClaim(claim, pods).filter((p) => !p.spec?.nodeName).map((p) => p.metadata?.name ?? '');
  if (waiting.length === 0) return [cause('WaitForFirstConsumer', 'waiting for first consumer to be created before binding')];
  const message = waiting.length > 1 ? `waiting for pods ${waiting.join(',')} to be scheduled` : `waiting for pod ${waiting[0]} to be scheduled`;
  return [cause('WaitForPodScheduled', message)];
};

const stamp = (e: CoreEvent): string => String(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? '');

const claimEvents = (claim: PreparedClaim, events: readonly CoreEvent[], reason: string): CoreEvent[] =>
  events
    .filter((e) => e.reason === reason && e.involvedObject?.kind === 'PersistentVolumeClaim' && e.involvedObject.name === claim.name &&
      (e.involvedObject.namespace ?? claim.namespace) === claim.namespace)
    .sort((a, b) => stamp(a).localeCompare(stamp(b)));

/** The newest ProvisioningFailed event on the claim, quoted; or the wait for an external provisioner. */
export const provisioningCauses = (claim: PreparedClaim, sc: StorageClass, events: readonly CoreEvent[]): DiagnosisCause[] => {
  if (sc.provisioner === NO_PROVISIONER) {
    return [cause('NoProvisioner', `StorageClass "${sc.metadata?.name}" uses ${NO_PROVISIONER}: volumes of this class are created by hand`)];
  }
  const failed = claimEvents(claim, events, 'ProvisioningFailed').pop();
  if (failed?.message) return [cause('ProvisioningFailed', failed.message)];
  return [cause('ExternalProvisioning', `Waiting for a volume to be created either by the external provisioner '${sc.provisioner}' ` +
    'or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.')];
};
