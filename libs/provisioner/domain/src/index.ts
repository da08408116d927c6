export {
  admitContainer, defaultContainerLimits, limitRangeErrors, LIMITED_RESOURCES,
  type ContainerAdmission, type ContainerLimitRangeItem, type ContainerResourceRequirements, type LimitField, type LimitedResource, type ResourceValues,
} from './limit-range.rules';
export { RBAC_API_GROUP, serviceAccountUser, toRbacSubject, type RbacSubject } from './rbac.subjects';
export { RESERVED_NAMESPACES, tenantNameErrors, tenantWarnings, validateTenantRequest } from './tenant-request.validation';
export {
  buildTenantManifests, credentialAccess, credentialServiceAccountName, DEFAULT_CREDENTIAL_ROLE, LIMIT_RANGE_NAME, MANAGED_BY, MANAGED_BY_LABEL,
  memberBindingName, quotaHard, QUOTA_NAME, roleBinding, serviceAccount, serviceAccountBindingName, TENANT_LABEL, tenantApplyOrder, tenantLabels,
  type LimitRangeManifest, type NamespaceManifest, type ResourceQuotaManifest, type RoleBindingManifest, type ServiceAccountManifest,
  type TenantManifest, type TenantManifests,
} from './tenant.manifests';
export { quotaView, type QuotaView } from './quota.view';
export { isEmptySelector, selectorMatches } from './label-selector.match';
export { controllerOf, hasLocalStorage, isFinished, isMirror, isReady, isTerminating, MIRROR_POD_ANNOTATION, podKey } from './pod.facts';
export {
  budgetCounts, computeBudget, countHealthyPods, desiredHealthyOf, expectedScale, findController, podsOfBudget, scaledValueFromIntOrPercent,
  type BudgetCounts, type ControllerScale,
} from './disruption-budget.math';
export {
  budgetMessage, filterPod, LOCAL_STORAGE_REFUSAL, MULTIPLE_BUDGETS_MESSAGE, NO_CONTROLLER_REFUSAL, planDrain,
  type DrainInput, type DrainOptions, type DrainVerdict,
} from './drain.planner';
export { parseEvictionRefusal, type EvictionRefusal } from './eviction.response';
export { decodeBase64, encodeBase64, encodeBase64Text } from './base64.codec';
export {
  apiServerEndpoint, BOOTSTRAP_TOKEN_PATTERN, BOOTSTRAP_TOKEN_SECRET_PREFIX, BOOTSTRAP_TOKEN_SECRET_TYPE, bootstrapTokenSecret, DEFAULT_NODE_TOKEN_GROUP,
  generateBootstrapToken, joinCommand, parseBootstrapToken, randomTokenString, rfc3339, tokenExpiration,
  type BootstrapToken, type BootstrapTokenSecret, type BootstrapTokenSecretOptions, type RandomBytes,
} from './bootstrap.token';
export { certificateDer, discoveryTokenCaCertHash, spkiHash, subjectPublicKeyInfo, type Sha256Hex } from './ca-cert.hash';
export { buildKubeconfig, type KubeconfigInput } from './kubeconfig.builder';
export { planCredentials, type CredentialsPlan, type TokenRequestBody } from './credentials.plan';
export { cordonPatch, evictionFor, nodeDetails, nodeView, podsPerNode, type EvictionBody } from './node.operations';
export { fromRbacSubject, isTenantNamespace, tenantMembers, tenantView } from './tenant.view';
