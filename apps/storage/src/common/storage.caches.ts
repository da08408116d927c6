import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { CLUSTER_REGISTRY } from '@bosun/kube';
import type { ClusterRegistry, KubePort, SharedInformer } from '@bosun/kube';
import { prepareVolumesReusing } from '@bosun/storage-domain';
import type { Node, PreparedVolume } from '@bosun/storage-domain';
import { CLAIM_KIND, CLASS_KIND, NODE_KIND, VOLUME_KIND } from './storage.repository';
import type { ClaimObject, ClassObject, Kube, VolumeObject } from './storage.repository';

/** The shared informers the storage service reads from, on one cluster. */
export interface StorageInformers {
  claims: SharedInformer<ClaimObject>;
  volumes: SharedInformer<VolumeObject>;
  classes: SharedInformer<ClassObject>;
  nodes: SharedInformer<Kube<Node>>;
}

/**
 * One cluster's informers (the port's own shared ones: the provisioner's on the default cluster
 * are the same instances), and its volumes prepared for the domain once per change rather than
 * once per diagnosis (each capacity parsed once).
 */
export class ClusterCache {
  private prepared: PreparedVolume[] = [];
  private stale = true;
  private readonly firstSync: Promise<void>;

  constructor(readonly informers: StorageInformers) {
    informers.volumes.onEvent(() => (this.stale = true));
    this.firstSync = Promise.all(Object.values(informers).map((i: SharedInformer<unknown>) => i.start())).then(() => undefined);
  }

  get synced(): boolean {
    return Object.values(this.informers).every((i: SharedInformer<unknown>) => i.health().synced);
  }

  /** Whether every informer has its first list, waiting at most `waitMs` for it. */
  async ready(waitMs: number): Promise<boolean> {
    if (this.synced) return true;
    const timer = new AbortController();
    await Promise.race([this.firstSync, sleep(waitMs, undefined, { signal: timer.signal, ref: false }).catch(() => undefined)]);
    timer.abort();
    return this.synced;
  }

  preparedVolumes(): readonly PreparedVolume[] {
    if (this.stale) {
      // Cleared before reading, so an event during the read marks the next call stale again.
      this.stale = false;
      this.prepared = prepareVolumesReusing(this.informers.volumes.list(), this.prepared);
    }
    return this.prepared;
  }
}

const informersOf = (port: KubePort): StorageInformers => ({
  claims: port.informer<ClaimObject>(CLAIM_KIND),
  volumes: port.informer<VolumeObject>(VOLUME_KIND),
  classes: port.informer<ClassObject>(CLASS_KIND),
  nodes: port.informer<Kube<Node>>(NODE_KIND),
});

/**
 * The storage service's caches, per cluster, started lazily for the cluster asked about (the
 * default cluster's at boot, by the provisioner). One list+watch per cluster and resource, shared
 * by the provisioner and every query, filled by Bosun's own account: what a query reads from them
 * is checked against the asker's rights first (`ClaimDiagnoser`).
 */
@Injectable()
export class StorageCaches {
  private readonly clusters = new Map<string, ClusterCache>();

  constructor(@Inject(CLUSTER_REGISTRY) private readonly registry: ClusterRegistry) {}

  /** The cache of one cluster; its informers start now if they have not. */
  async of(cluster: string = this.registry.defaultName): Promise<ClusterCache> {
    return this.forPort(cluster, await this.registry.resolve(cluster));
  }

  forPort(cluster: string, port: KubePort): ClusterCache {
    const existing = this.clusters.get(cluster);
    // The port hands out fresh informers after the old ones were stopped (a cluster removed and added again).
    const informers = informersOf(port);
    if (existing && (Object.keys(informers) as Array<keyof StorageInformers>).every((k) => existing.informers[k] === informers[k])) return existing;
    const cache = new ClusterCache(informers);
    this.clusters.set(cluster, cache);
    return cache;
  }
}
