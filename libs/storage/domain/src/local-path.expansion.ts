import type { DiagnosisCause, FieldError } from '@bosun/contracts';
import { formatQuantity } from '@bosun/quantity';
import { expansionAdmission } from './claim-admission.rules';
import { KEYS, LOCAL_PATH_PROVISIONER, type PersistentVolume, type PersistentVolumeClaim, type PersistentVolumeClaimCondition, type ResourceQuota, type StorageClass } from './kube-types';
import { fail, fieldError, ok, type Result } from '@bosun/contracts';
import { validateExpansion } from './storage-request.validation';
import { claimClassOf } from './volume.matcher';

// Growing a local-path volume. A host directory has no size to grow, so resizing is bookkeeping
// that Bosun does as an external resizer would on success: the PV's capacity, then the claim's
// status.capacity, with the Resizing and FileSystemResizePending conditions removed. rancher's
// provisioner cannot do this; the `local-path` class sets allowVolumeExpansion (API.md).

const DONE_CONDITIONS = ['Resizing', 'FileSystemResizePending'];

export interface ExpansionPlanInput {
  claim: PersistentVolumeClaim;
  volume?: PersistentVolume;
  storageClass?: StorageClass;
  size: string;
  quotas?: readonly ResourceQuota[];
}

/** The patches, in order: the claim's request (spec), the PV's capacity, then the claim's status. */
export interface ExpansionPlan {
  /** False when the size is unchanged: nothing to patch. */
  grows: boolean;
  size: string;
  claimPatch: { spec: { resources: { requests: { storage: string } } } };
  volumePatch: { spec: { capacity: { storage: string } } };
  claimStatusPatch: {
    status: { capacity: { storage: string }; conditions: PersistentVolumeClaimCondition[]; allocatedResourceStatuses: { storage: null } };
  };
}

const volumeErrors = (claim: PersistentVolumeClaim, volume: PersistentVolume | undefined): FieldError[] => {
  const name = claim.spec?.volumeName;
  if (!volume || volume.metadata?.name !== name) return [fieldError('size', `the claim's volume "${name ?? ''}" was not found`)];
  if (volume.metadata?.annotations?.[KEYS.provisionedBy] !== LOCAL_PATH_PROVISIONER) {
    return [fieldError('size', `volume "${name}" was not provisioned by ${LOCAL_PATH_PROVISIONER}, so Bosun cannot resize it`)];
  }
  return [];
};

const quotaErrors = (causes: DiagnosisCause[]): FieldError[] => causes.map((c) => fieldError('size', c.message));

/**
 * The expansion plan for a Bound claim on a local-path volume, or FieldErrors on `size`
 * (shrinking, a class without allowVolumeExpansion, a volume that is not ours, a quota exceeded).
 */
export const planLocalPathExpansion = (input: ExpansionPlanInput): Result<ExpansionPlan> => {
  const checked = validateExpansion(input);
  if (!checked.ok) return checked;
  const { from, to, grows } = checked.value;
  const admission = expansionAdmission({ name: input.claim.metadata?.name, className: claimClassOf(input.claim), from, to }, input.quotas);
  const errors = [...volumeErrors(input.claim, input.volume), ...quotaErrors(admission)];
  if (errors.length > 0) return fail(errors);
  // The canonical form (`2Gi`, not `2048Mi`) so that PV, spec and status agree to the letter.
  const size = formatQuantity(to);
  const conditions = (input.claim.status?.conditions ?? []).filter((c) => !DONE_CONDITIONS.includes(c.type));
  return ok({
    grows,
    size,
    claimPatch: { spec: { resources: { requests: { storage: size } } } },
    volumePatch: { spec: { capacity: { storage: size } } },
    claimStatusPatch: { status: { capacity: { storage: size }, conditions, allocatedResourceStatuses: { storage: null } } },
  });
};
