export * from './kube-types';
// The request rules live in @bosun/deploy-rules (the gateway runs them at intake too).
export { DEFAULT_REGISTRY, defaultPullPolicy, parseImageReference, resolveImage, validateDeployRequest, type ImageReference, type PullPolicy } from '@bosun/deploy-rules';
export {
  buildDeploymentManifest, labelsFor, DEFAULT_MAX_SURGE, DEFAULT_MAX_UNAVAILABLE, MANAGED_BY, MANAGED_BY_LABEL, NAME_LABEL,
  type DeploymentManifest, type ManifestOptions,
} from './deployment.manifest';
export {
  pausePatch, recreateStrategyPatch, restartPatch, setImagePatch, type DeploymentPatch, type SetImagePlan,
} from './deployment.patches';
export { templatesEqual, withoutTemplateHash } from './pod-template';
export { history, imagesOf, newReplicaSet, ownedReplicaSets, revisionOf } from './revision-history';
export { planRollback, type RollbackFailureCode, type RollbackPlan, type RollbackResult } from './rollback.plan';
export { PROGRESS_DEADLINE_EXCEEDED, rolloutStatus, type RolloutStatus } from './rollout-status';
export { toDeploymentView } from './deployment.view';
export { diagnose, type DiagnosisInput } from './pod-diagnosis';
