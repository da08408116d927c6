import type { CreateClaimRequest, CreateVolumeRequest, SetDefaultClassRequest } from '@bosun/contracts';
import { isMarkedDone } from '@bosun/kube';
import { invalid, OperationFailure } from '@bosun/service-kit';
import {
  defaultClassState, LOCAL_PATH_PROVISIONER, newClaimAdmission, planDefaultClassSwitch, planLocalPathExpansion, planRelease, positiveSize, validateExpansion,
} from '@bosun/storage-domain';
import type { ClassPatch, ReleasePlan } from '@bosun/storage-domain';
import type { ClaimObject, ClassObject, StorageRepository, VolumeObject } from './storage.repository';

// The checks against the cluster that an operation makes before its change, shared with the
// `validate` query so that the gateway can refuse up front (422/404/409) what would fail.
// Each throws the OperationFailure the operation would fail with.

/** A claim of this name exists and is not this operation's own (a redelivery finds its marker). */
export const checkNewClaim = (req: CreateClaimRequest, live: ClaimObject | undefined, operationId?: string): void => {
  if (live && !(operationId && isMarkedDone(live, operationId))) throw new OperationFailure('AlreadyExists', `persistentvolumeclaims "${req.name}" already exists`);
};

export const checkNewVolume = (req: CreateVolumeRequest, live: VolumeObject | undefined, operationId?: string): void => {
  if (live && !(operationId && isMarkedDone(live, operationId))) throw new OperationFailure('AlreadyExists', `persistentvolumes "${req.name}" already exists`);
};

/**
 * What admission would refuse about a new claim (ResourceQuota, LimitRange), in the plugins'
 * words; for `validate` only — the operation lets the apiserver say it, authoritative and
 * current. An unset class counts as the default class it will get.
 */
export const checkClaimAdmission = async (repo: StorageRepository, req: CreateClaimRequest): Promise<void> => {
  const [quotas, ranges, classes] = await Promise.all([repo.quotas(req.namespace), repo.limitRanges(req.namespace), repo.classes()]);
  const size = positiveSize(req.size, 'size');
  if (!size.ok) throw invalid(size.errors, 'invalid create-claim command');
  const className = req.storageClassName ?? defaultClassState(classes).default;
  const causes = newClaimAdmission({ name: req.name, className: className || undefined, request: size.value }, quotas, ranges);
  if (causes.length) throw new OperationFailure('Forbidden', causes.map((c) => c.message).join('; '), { fieldErrors: causes.map((c) => ({ path: 'size', message: c.message })) });
};

/**
 * The canonical size to request, or Invalid naming `size`: shrinking, not Bound, a class
 * without allowVolumeExpansion; for a local-path volume also a quota it would exceed.
 */
export const checkExpansion = async (repo: StorageRepository, claim: ClaimObject, size: string): Promise<string> => {
  const className = claim.spec?.storageClassName;
  const sc: ClassObject | undefined = className ? await repo.storageClass(className) : undefined;
  if (sc?.provisioner !== LOCAL_PATH_PROVISIONER) {
    const checked = validateExpansion({ claim, storageClass: sc, size });
    if (!checked.ok) throw invalid(checked.errors, 'cannot expand the claim');
    return size;
  }
  const volumeName = claim.spec?.volumeName;
  const [volume, quotas] = await Promise.all([
    volumeName ? repo.volume(volumeName) : Promise.resolve(undefined), repo.quotas(claim.metadata.namespace ?? 'default'),
  ]);
  const plan = planLocalPathExpansion({ claim, volume, storageClass: sc, size, quotas });
  if (!plan.ok) throw invalid(plan.errors, 'cannot expand the claim');
  return plan.value.size;
};

/** The release plan (null: nothing holds it), or Conflict while its claim still holds it. */
export const checkRelease = async (repo: StorageRepository, live: VolumeObject): Promise<ReleasePlan | null> => {
  const plan = planRelease(live, await repo.claims(live.spec?.claimRef?.namespace));
  if (!plan.ok) throw new OperationFailure('Conflict', plan.errors.map((e) => e.message).join('; '), { fieldErrors: plan.errors });
  return plan.value;
};

/** The ordered class patches of the switch (unset the others first), or NotFound naming `name`. */
export const checkDefaultClass = async (
  repo: StorageRepository, p: SetDefaultClassRequest, classes?: ClassObject[],
): Promise<{ ok: true; value: ClassPatch[] }> => {
  const plan = planDefaultClassSwitch(classes ?? (await repo.classes()), p.name);
  if (!plan.ok) throw new OperationFailure('NotFound', plan.errors.map((e) => e.message).join('; '), { fieldErrors: plan.errors });
  return plan;
};
