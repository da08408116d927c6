import type { CreateClaimRequest, CreateVolumeRequest, ReclaimPolicy } from '@bosun/contracts';
import type { PersistentVolume, PersistentVolumeClaim } from './kube-types';

// Manifests for the API bodies, ready for server-side apply. Labels mark what Bosun made.

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'bosun';
/** Where a static volume without hostPath lives on its node. */
export const DEFAULT_STATIC_BASE = '/var/lib/bosun/volumes';

/**
 * A static PersistentVolume. A volume made by hand defaults to Retain (upstream's API default;
 * only dynamic ones default to Delete, 000:4447-4477); a claimRef reserves it for one claim
 * (004:3251-3261); without hostPath it gets `<base>/<name>`, created on demand.
 */
export const buildVolumeManifest = (req: CreateVolumeRequest, base = DEFAULT_STATIC_BASE): PersistentVolume => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name: req.name, labels: { ...req.labels, [MANAGED_BY_LABEL]: MANAGED_BY } },
  spec: {
    capacity: { storage: req.capacity },
    accessModes: [...req.accessModes],
    storageClassName: req.storageClassName,
    persistentVolumeReclaimPolicy: req.reclaimPolicy ?? 'Retain',
    volumeMode: req.volumeMode ?? 'Filesystem',
    hostPath: { path: req.hostPath?.path ?? `${base}/${req.name}`, type: req.hostPath?.type ?? 'DirectoryOrCreate' },
    ...(req.claimRef ? { claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: req.claimRef.namespace, name: req.claimRef.name } } : {}),
  },
});

/**
 * A PersistentVolumeClaim. An absent storageClassName is left out so that admission fills in the
 * default class; "" is kept, meaning "no class, static volumes only".
 */
export const buildClaimManifest = (req: CreateClaimRequest): PersistentVolumeClaim => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { namespace: req.namespace, name: req.name, labels: { [MANAGED_BY_LABEL]: MANAGED_BY } },
  spec: {
    accessModes: [...req.accessModes],
    resources: { requests: { storage: req.size } },
    volumeMode: req.volumeMode ?? 'Filesystem',
    ...(req.storageClassName !== undefined ? { storageClassName: req.storageClassName } : {}),
    ...(req.volumeName ? { volumeName: req.volumeName } : {}),
  },
});

/** The seed's patch body (000:4447-4477): `{"spec":{"persistentVolumeReclaimPolicy":"Retain"}}`. */
export const reclaimPolicyPatch = (policy: ReclaimPolicy): { spec: { persistentVolumeReclaimPolicy: ReclaimPolicy } } => ({
  spec: { persistentVolumeReclaimPolicy: policy },
});

/** The merge patch that asks for a bigger claim. */
export const claimSizePatch = (size: string): { spec: { resources: { requests: { storage: string } } } } => ({
  spec: { resources: { requests: { storage: size } } },
});
