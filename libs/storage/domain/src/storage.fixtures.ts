// Builders for specs: the seed's objects (004:3140-3208) with only what each test varies.
import type { CoreEvent, LabelSelector, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from './kube-types';
import { KEYS } from './kube-types';

export interface PvOptions {
  capacity?: string;
  modes?: string[];
  className?: string;
  phase?: string;
  claimRef?: { namespace?: string; name: string; uid?: string };
  labels?: Record<string, string>;
  volumeMode?: string;
  reclaim?: string;
  annotations?: Record<string, string>;
  deleting?: boolean;
  node?: string;
}

/** The seed's pv-hostpath: 1Gi, RWX, Retain, class node-local, Available (004:3140-3150). */
export const pv = (name: string, o: PvOptions = {}): PersistentVolume => ({
  metadata: {
    name, labels: o.labels, annotations: o.annotations,
    ...(o.deleting ? { deletionTimestamp: '2026-12-01T00:00:00Z' } : {}),
  },
  spec: {
    capacity: { storage: o.capacity ?? '1Gi' },
    accessModes: o.modes ?? ['ReadWriteMany'],
    storageClassName: o.className ?? 'node-local',
    persistentVolumeReclaimPolicy: o.reclaim ?? 'Retain',
    ...(o.volumeMode ? { volumeMode: o.volumeMode } : {}),
    ...(o.claimRef ? { claimRef: { kind: 'PersistentVolumeClaim', namespace: 'default', ...o.claimRef } } : {}),
    ...(o.node
      ? { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: KEYS.hostname, operator: 'In', values: [o.node] }] }] } } }
      : {}),
    hostPath: { path: `/home/${name}` },
  },
  status: { phase: o.phase ?? 'Available' },
});

export interface PvcOptions {
  namespace?: string;
  size?: string;
  modes?: string[];
  /** `null` leaves storageClassName unset (the default class applies). */
  className?: string | null;
  selector?: LabelSelector;
  volumeName?: string;
  uid?: string | null;
  phase?: string;
  annotations?: Record<string, string>;
  volumeMode?: string;
}

/** The seed's pvc-hostpath: 500Mi, RWX, class node-local, Pending (004:3150-3173). */
export const pvc = (name: string, o: PvcOptions = {}): PersistentVolumeClaim => ({
  metadata: {
    namespace: o.namespace ?? 'default', name, annotations: o.annotations,
    ...(o.uid === null ? {} : { uid: o.uid ?? `uid-${name}` }),
  },
  spec: {
    accessModes: o.modes ?? ['ReadWriteMany'],
    resources: { requests: { storage: o.size ?? '500Mi' } },
    ...(o.className === null ? {} : { storageClassName: o.className ?? 'node-local' }),
    ...(o.selector ? { selector: o.selector } : {}),
    ...(o.volumeName ? { volumeName: o.volumeName } : {}),
    ...(o.volumeMode ? { volumeMode: o.volumeMode } : {}),
  },
  status: { phase: o.phase ?? 'Pending' },
});

export interface ScOptions {
  provisioner?: string;
  mode?: 'Immediate' | 'WaitForFirstConsumer';
  isDefault?: string;
  expansion?: boolean;
  reclaim?: string;
}

export const sc = (name: string, o: ScOptions = {}): StorageClass => ({
  metadata: { name, ...(o.isDefault !== undefined ? { annotations: { [KEYS.isDefaultClass]: o.isDefault } } : {}) },
  provisioner: o.provisioner ?? 'example.com/external-nfs',
  volumeBindingMode: o.mode ?? 'Immediate',
  ...(o.reclaim ? { reclaimPolicy: o.reclaim } : {}),
  ...(o.expansion !== undefined ? { allowVolumeExpansion: o.expansion } : {}),
});

export const pod = (name: string, claims: string[], o: { namespace?: string; node?: string; phase?: string } = {}): Pod => ({
  metadata: { name, namespace: o.namespace ?? 'default' },
  spec: {
    containers: [{ name: 'busybox' }],
    volumes: claims.map((claimName, i) => ({ name: `v${i}`, persistentVolumeClaim: { claimName } })),
    ...(o.node ? { nodeName: o.node } : {}),
  },
  status: { phase: o.phase ?? (o.node ? 'Running' : 'Pending') },
});

export const claimEvent = (claim: string, reason: string, message: string, at = '2026-12-01T10:00:00Z'): CoreEvent => ({
  metadata: { name: `${claim}.${reason}.${at}` },
  involvedObject: { kind: 'PersistentVolumeClaim', namespace: 'default', name: claim },
  reason, message, type: 'Warning', lastTimestamp: at,
});
