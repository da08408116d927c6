export * from './kube-types';
export {
  compileLabelSelector, describeNodeSelector, nodeSelectorAdmits, requirementMet, unmetRequirements,
  type NodeFacts, type Requirement,
} from './label-selector.matcher';
export {
  chooseVolume, claimClassOf, compareByPreference, findMatchingVolume, isVolumeBoundToClaim, mismatchReasons, prepareClaim, prepareVolume,
  prepareVolumes, prepareVolumesReusing, volumeClassOf, type Assessed, type MatchContext, type PreparedClaim, type PreparedVolume,
} from './volume.matcher';
export { HINTS, type CauseCode } from './claim.hints';
export { podsUsingClaim, resolveClass, type ClassResolution } from './claim.causes';
export { expansionAdmission, limitRangeCauses, newClaimAdmission, quotaCauses, type AdmissionRequest } from './claim-admission.rules';
export { diagnoseClaim, diagnosisReads, type DiagnosisInput, type DiagnosisReads } from './claim.diagnosis';
export { defaultClassState, isMarkedDefault, planDefaultClassSwitch, type ClassPatch, type DefaultClassState } from './default-class.rules';
export { isVolumeReleased, planRelease, reclaimOutcome, type ReclaimOutcome, type ReleasePlan } from './reclaim.rules';
export { findOrphans, statefulSetOf, type FormerStatefulSet, type OrphanInput } from './orphan.detector';
export {
  compareSizes, positiveSize, validateClaimRequest, validateExpansion, validateVolumeRequest, type ExpansionCheck, type ExpansionInput,
} from './storage-request.validation';
export {
  buildClaimManifest, buildVolumeManifest, claimSizePatch, reclaimPolicyPatch, DEFAULT_STATIC_BASE, MANAGED_BY, MANAGED_BY_LABEL,
} from './storage.manifest';
export {
  buildLocalPathVolume, decideLocalPathReclaim, decideProvisioning, localPathFor, locateLocalPathVolume, provisionedVolumeName,
  provisioningEvent, provisioningFailedEvent, provisioningSucceededEvent, DEFAULT_LOCAL_PATH_BASE,
  type ProvisionDecision, type ProvisionEvent,
} from './local-path.provisioner';
export { planLocalPathExpansion, type ExpansionPlan, type ExpansionPlanInput } from './local-path.expansion';
export { toClaimView, toStorageClassViews, toVolumeView } from './storage.views';
