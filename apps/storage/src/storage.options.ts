import { DEFAULT_LOCAL_PATH_BASE } from '@bosun/storage-domain';

/**
 * What the storage service can be told at boot. Only @bosun/config reads the environment, so
 * these come in through `StorageModule.forRoot(...)` (main.ts passes the config's values once
 * the lead adds them; see the README for the variables).
 */
export interface StorageOptions {
  /** Ensure the `local-path` StorageClass at boot, default only when the cluster has none. */
  ensureLocalPathClass: boolean;
  /** Where the provisioner's Lease (and its helper pods) live. */
  leaseNamespace: string;
  /** The Lease's duration; renewed every third of it. */
  leaseDurationSeconds: number;
  /** The per-node directory under which local-path volumes are made. */
  localPathBase: string;
  /** The image of the helper pod that removes a deleted volume's directory on a real node (kwok nodes need none). */
  helperImage: string;
  /** How long `create-claim` waits for binding before it answers with a diagnosis. */
  claimBindWaitMs: number;
  /** How long `expand-claim` waits for the claim's `status.capacity`. */
  expandWaitMs: number;
  /** How often the provisioner re-lists everything (on top of the informers' events). */
  resyncSeconds: number;
  /**
   * How long a query reading from the informers reuses an asker's access review (allowed or
   * denied): a right revoked keeps working, and one granted stays refused, this long.
   */
  accessReviewTtlSeconds: number;
  /** How long a query waits for a cluster's informers' first list before it reads the cluster directly instead. */
  cacheWaitMs: number;
}

export const STORAGE_OPTIONS = Symbol('STORAGE_OPTIONS');

export const DEFAULT_STORAGE_OPTIONS: StorageOptions = {
  ensureLocalPathClass: true,
  leaseNamespace: 'kube-system',
  leaseDurationSeconds: 15,
  localPathBase: DEFAULT_LOCAL_PATH_BASE,
  helperImage: 'busybox:1.37',
  claimBindWaitMs: 5000,
  expandWaitMs: 5000,
  resyncSeconds: 30,
  accessReviewTtlSeconds: 30,
  cacheWaitMs: 2000,
};
