export type PullPolicy = 'Always' | 'IfNotPresent';

/**
 * The imagePullPolicy the API server fills in when a container omits it, decided once, at
 * creation (001:107-141): a missing tag counts as `latest` only when there is no digest
 * either, and then `latest` means Always; anything else means IfNotPresent. So a digest
 * alone → IfNotPresent, `:latest` or nothing → Always, `:1.32.0` → IfNotPresent.
 * 003:55 claims the default is always Always: it is not.
 *
 * Upstream (pkg/apis/core/v1 defaults) looks only at the tag, so `name:latest@sha256:…`
 * gets Always even though the digest decides what is pulled (001:57-58); we follow
 * upstream, because this function predicts what the cluster will write.
 */
export const defaultPullPolicy = (ref: { tag?: string; digest?: string }): PullPolicy => {
  const tag = ref.tag ?? (ref.digest ? undefined : 'latest');
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
};
