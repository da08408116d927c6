export * from './kube-types';
export { defaultPullPolicy, type PullPolicy } from './pull-policy';
export { DEFAULT_REGISTRY, parseImageReference, resolveImage, type ImageReference } from './image-reference';
export {
  buildDeploymentManifest, labelsFor, DEFAULT_MAX_SURGE, DEFAULT_MAX_UNAVAILABLE, MANAGED_BY, MANAGED_BY_LABEL, NAME_LABEL,
  type DeploymentManifest, type ManifestOptions,
} from './deployment.manifest';
export { validateDeployRequest } from './deploy-request.validation';
export {
  pausePatch, recreateStrategyPatch, restartPatch, setImagePatch, type DeploymentPatch, type SetImagePlan,
} from './deployment.patches';
export { templatesEqual, withoutTemplateHash } from './pod-template';
export { history, imagesOf, newReplicaSet, ownedReplicaSets, revisionOf } from './revision-history';
export { planRollback, type RollbackFailureCode, type RollbackPlan, type RollbackResult } from './rollback.plan';
export { PROGRESS_DEADLINE_EXCEEDED, rolloutStatus, type RolloutStatus } from './rollout-status';
export { toDeploymentView } from './deployment.view';
export { diagnose, type DiagnosisInput } from './pod-diagnosis';
