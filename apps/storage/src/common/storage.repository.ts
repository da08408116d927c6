import type { Identity, KubeObject, KubePort, ObjectRef } from '@bosun/kube';
import type {
  CoreEvent, LimitRange, Node, PersistentVolume, PersistentVolumeClaim, Pod, ResourceQuota, StatefulSet, StorageClass,
} from '@bosun/storage-domain';
import { OperationFailure } from '@bosun/service-kit';

/** The objects the storage service reads, with the port's object shape on top of kubernetes-types. */
export type Kube<T> = T & KubeObject;
export type ClassObject = Kube<StorageClass>;
export type VolumeObject = Kube<PersistentVolume>;
export type ClaimObject = Kube<PersistentVolumeClaim>;

export const classRef = (name: string): ObjectRef => ({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', name });
export const volumeRef = (name: string): ObjectRef => ({ apiVersion: 'v1', kind: 'PersistentVolume', name });
export const claimRef = (namespace: string, name: string): ObjectRef => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace, name });

export const CLASS_KIND = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass' } as const;
export const VOLUME_KIND = { apiVersion: 'v1', kind: 'PersistentVolume' } as const;
export const CLAIM_KIND = { apiVersion: 'v1', kind: 'PersistentVolumeClaim' } as const;
export const NODE_KIND = { apiVersion: 'v1', kind: 'Node' } as const;

/**
 * Every read of the storage service, made as one identity (the operation's or the asker's;
 * undefined is Bosun's own account, for the provisioner's housekeeping).
 */
export class StorageRepository {
  constructor(readonly port: KubePort, readonly as: Identity | undefined) {}

  classes(): Promise<ClassObject[]> {
    return this.port.list<ClassObject>(CLASS_KIND, { as: this.as });
  }

  volumes(): Promise<VolumeObject[]> {
    return this.port.list<VolumeObject>(VOLUME_KIND, { as: this.as });
  }

  claims(namespace?: string): Promise<ClaimObject[]> {
    return this.port.list<ClaimObject>({ ...CLAIM_KIND, namespace }, { as: this.as });
  }

  pods(namespace?: string): Promise<Kube<Pod>[]> {
    return this.port.list<Kube<Pod>>({ apiVersion: 'v1', kind: 'Pod', namespace }, { as: this.as });
  }

  statefulSets(namespace?: string): Promise<Kube<StatefulSet>[]> {
    return this.port.list<Kube<StatefulSet>>({ apiVersion: 'apps/v1', kind: 'StatefulSet', namespace }, { as: this.as });
  }

  nodes(): Promise<Kube<Node>[]> {
    return this.port.list<Kube<Node>>(NODE_KIND, { as: this.as });
  }

  /** The events about one claim (ProvisioningFailed words for the diagnosis). */
  claimEvents(namespace: string, name: string): Promise<Kube<CoreEvent>[]> {
    const fieldSelector = `involvedObject.kind=PersistentVolumeClaim,involvedObject.name=${name}`;
    return this.port.list<Kube<CoreEvent>>({ apiVersion: 'v1', kind: 'Event', namespace, fieldSelector }, { as: this.as });
  }

  quotas(namespace: string): Promise<Kube<ResourceQuota>[]> {
    return this.port.list<Kube<ResourceQuota>>({ apiVersion: 'v1', kind: 'ResourceQuota', namespace }, { as: this.as });
  }

  limitRanges(namespace: string): Promise<Kube<LimitRange>[]> {
    return this.port.list<Kube<LimitRange>>({ apiVersion: 'v1', kind: 'LimitRange', namespace }, { as: this.as });
  }

  claim(namespace: string, name: string): Promise<ClaimObject | undefined> {
    return this.port.get<ClaimObject>(claimRef(namespace, name), { as: this.as });
  }

  volume(name: string): Promise<VolumeObject | undefined> {
    return this.port.get<VolumeObject>(volumeRef(name), { as: this.as });
  }

  storageClass(name: string): Promise<ClassObject | undefined> {
    return this.port.get<ClassObject>(classRef(name), { as: this.as });
  }

  /** The apiserver's own NotFound words (`persistentvolumeclaims "data" not found`). */
  async requireClaim(namespace: string, name: string): Promise<ClaimObject> {
    const claim = await this.claim(namespace, name);
    if (!claim) throw new OperationFailure('NotFound', `persistentvolumeclaims "${name}" not found`);
    return claim;
  }

  async requireVolume(name: string): Promise<VolumeObject> {
    const volume = await this.volume(name);
    if (!volume) throw new OperationFailure('NotFound', `persistentvolumes "${name}" not found`);
    return volume;
  }
}
