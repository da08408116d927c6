// Words for people, one per cause code, with the seed lines that back them.

export const HINTS = {
  StorageClassNotFound:
    'the claim names a StorageClass that does not exist, so nothing provisions a volume for it; it stays Pending ' +
    '(004:3140-3173). Create the class, or fix storageClassName; a static PV of that class name still binds, and ' +
    'a matching PV created later binds on its own.',
  NoDefaultStorageClass:
    'the claim names no storageClassName and the cluster has no default StorageClass, so only PVs without a class ' +
    'can bind it. Mark one class default (annotation storageclass.kubernetes.io/is-default-class="true", ' +
    '000:4411-4446) or name a class in the claim.',
  MultipleDefaultStorageClasses:
    'more than one StorageClass is marked default; Kubernetes then behaves as if there were none (000:4411-4446). ' +
    'Set storageclass.kubernetes.io/is-default-class="false" on all but one (PUT /v1/storage/default-class does that safely).',
  DefaultClassUnassigned:
    'the claim was created while there was no default class; since Kubernetes 1.28 the PV controller assigns the ' +
    'current default to such claims and then binds or provisions as that class. If it stays Pending, set ' +
    'storageClassName explicitly (recreate the claim).',
  WaitForFirstConsumer:
    'the class binds WaitForFirstConsumer: no volume is bound or provisioned until a pod that uses the claim is ' +
    'scheduled (004:3286-3314). This is not a fault: create the pod.',
  WaitForPodScheduled:
    'the class binds WaitForFirstConsumer and a pod uses the claim, but it has no node yet; the volume follows the ' +
    'pod. Look at why the pod is not scheduled (its events: resources, taints, node affinity).',
  ProvisioningFailed:
    'the provisioner tried and failed; its words above say why. Fix the cause (class parameters, the backend, the ' +
    'provisioner\'s permissions); it retries on its own.',
  ExternalProvisioning:
    'no PV matches, so the claim waits for the class\'s provisioner to create one. If that takes long, check that ' +
    'the provisioner is running and registered for this provisioner name.',
  NoProvisioner:
    'the class uses kubernetes.io/no-provisioner: nothing creates volumes for it, an administrator must create a ' +
    'matching PV by hand (004:3286-3314, 3378). The candidates below say why the existing ones do not fit.',
  NoMatchingVolume:
    'no PV satisfies the claim: same storageClassName, every requested access mode offered, capacity ≥ the request, ' +
    'same volumeMode, and an Available PV (004:3125, 3208, 3269-3270). Change the claim, or create or fix a PV; a ' +
    'matching PV binds on its own.',
  VolumeNotFound: 'the claim asks for a PV by spec.volumeName that does not exist; create it or recreate the claim without volumeName.',
  VolumeTaken:
    'the claim asks for a PV by spec.volumeName that another claim holds; a PV binds one claim only (004:3208). ' +
    'Free it (delete that claim; with Retain, then release the PV) or ask for another volume.',
  VolumeMismatch: 'the claim asks for a PV by spec.volumeName that does not satisfy it; the reasons say what differs.',
  ClaimLost:
    'the claim was bound, but its PV is gone or bound elsewhere; the data on it is lost to this claim. Recreate the claim.',
  QuotaExceeded:
    'the namespace\'s ResourceQuota refuses it (000:5576-5610, 000:5197-5276): delete unused claims (see ' +
    'GET /v1/storage/orphans), ask for less, or have the quota raised.',
  LimitRangeMinimum:
    'the namespace\'s LimitRange (type PersistentVolumeClaim) sets a minimum size (000:5576-5610): ask for at least that much.',
  LimitRangeMaximum:
    'the namespace\'s LimitRange (type PersistentVolumeClaim) sets a maximum size (000:5576-5610): ask for at most that much, or have the limit raised.',
} as const;

export type CauseCode = keyof typeof HINTS;
