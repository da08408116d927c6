export type {
  CallOptions,
  DeleteOptions,
  EvictionResult,
  EvictOptions,
  Identity,
  InformerHealth,
  KubeObject,
  KubePort,
  ListQuery,
  ObjectRef,
  PatchType,
  PropagationPolicy,
  ServerVersion,
  SharedInformer,
  WatchEventType,
} from './kube.port';
export { KubeError, isKubeError, type KubeCause, type KubeReason } from './kube.errors';
export { silentLogger, type KubeLogger } from './kube.logger';
export { DEFAULT_BACKOFF, backoffDelay, type BackoffOptions } from './backoff.policy';
export { ClientNodeKubeAdapter, FIELD_MANAGER, type ClientNodeAdapterOptions } from './client-node.adapter';
export { ListWatchInformer } from './shared-informer';
export { controllerUidOf, InformerCache } from './informer.cache';
export { sanitizeKubeconfig, type SanitizeResult, type SanitizedKubeconfig } from './kubeconfig.sanitizer';
export {
  ClusterExistsError,
  DefaultClusterRemovalError,
  InvalidClusterNameError,
  KubeconfigRejectedError,
  UnknownClusterError,
} from './cluster.errors';
export { InMemoryClusterStore, type ClusterStore } from './cluster.store';
export { ClusterRegistry, type ClusterDescription, type ClusterRegistryOptions } from './cluster.registry';
export { kubectlSkew, type VersionSkew } from './version.skew';
export { CLUSTER_REGISTRY, KubeModule, type KubeModuleAsyncOptions } from './kube.module';
export {
  isMarkedDone, markerAnnotations, withMarker, OPERATION_ID_ANNOTATION, RECENT_OPERATIONS_ANNOTATION, type MarkablePatch,
} from './operation.marker';
export { observeKubeRequests, type KubeRequestObserver } from './kube.transport';
export {
  AccessReviewCache, DEFAULT_ACCESS_REVIEW_TTL_MS, forbiddenError, type AccessAttributes, type AccessReviewCacheOptions, type AccessVerdict,
} from './access.review';
