// The Kubernetes objects this library reads and writes, as kubernetes-types describes their JSON
// (types only: nothing of a client is imported). Well-known keys live here, once.
export type {
  LimitRange, Node, NodeSelector, NodeSelectorRequirement, PersistentVolume, PersistentVolumeClaim,
  PersistentVolumeClaimCondition, Pod, ResourceQuota,
} from 'kubernetes-types/core/v1';
export type { Event as CoreEvent } from 'kubernetes-types/core/v1';
export type { StorageClass } from 'kubernetes-types/storage/v1';
export type { StatefulSet } from 'kubernetes-types/apps/v1';
export type { LabelSelector, LabelSelectorRequirement } from 'kubernetes-types/meta/v1';

/** Annotation and label keys, as upstream spells them. */
export const KEYS = {
  /** 000:4411-4446: only the exact value "true" marks a default class. */
  isDefaultClass: 'storageclass.kubernetes.io/is-default-class',
  betaIsDefaultClass: 'storageclass.beta.kubernetes.io/is-default-class',
  /** The pre-storageClassName spelling; upstream still reads it before the field. */
  betaStorageClass: 'volume.beta.kubernetes.io/storage-class',
  /** Set by the scheduler on a WaitForFirstConsumer claim once its pod has a node. */
  selectedNode: 'volume.kubernetes.io/selected-node',
  storageProvisioner: 'volume.kubernetes.io/storage-provisioner',
  betaStorageProvisioner: 'volume.beta.kubernetes.io/storage-provisioner',
  provisionedBy: 'pv.kubernetes.io/provisioned-by',
  boundByController: 'pv.kubernetes.io/bound-by-controller',
  bindCompleted: 'pv.kubernetes.io/bind-completed',
  hostname: 'kubernetes.io/hostname',
  /** 004:3218-3241. */
  pvcProtection: 'kubernetes.io/pvc-protection',
  pvProtection: 'kubernetes.io/pv-protection',
} as const;

/** StorageClass provisioners with a special meaning. */
export const NO_PROVISIONER = 'kubernetes.io/no-provisioner';
export const LOCAL_PATH_PROVISIONER = 'bosun.dev/local-path';
