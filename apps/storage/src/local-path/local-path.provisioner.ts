import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { CLUSTER_REGISTRY } from '@bosun/kube';
import type { ClusterRegistry } from '@bosun/kube';
import type { BosunLogger } from '@bosun/logging';
import { HealthRegistry, LOGGER } from '@bosun/service-kit';
import type { ComponentHealth } from '@bosun/service-kit';
import { StorageCaches } from '../common/storage.caches';
import type { ClaimObject } from '../common/storage.repository';
import { STORAGE_OPTIONS } from '../storage.options';
import type { StorageOptions } from '../storage.options';
import { LeaderLease } from './leader.lease';
import { LocalPathReconciler } from './local-path.reconciler';
import type { LocalPathCaches } from './local-path.reconciler';

export const LEASE_NAME = 'bosun-local-path';
/** rancher waits two minutes for its helper pods. */
const HELPER_TIMEOUT_MS = 120_000;

type Work = { kind: 'claim'; key: string } | { kind: 'volume'; key: string };
const claimKey = (c: ClaimObject): string => `${c.metadata.namespace ?? 'default'}/${c.metadata.name}`;

/**
 * Bosun's `bosun.dev/local-path` dynamic provisioner, on the default cluster (the one Bosun
 * runs in). Every replica keeps the shared claim, volume, class and node informers warm; only the
 * holder of the `bosun-local-path` Lease acts, so two replicas never provision one claim
 * twice. Taking the lease (a first boot, a restart, a failover) re-lists everything, so a claim
 * that waited while nobody led is provisioned then; a periodic resync covers missed events.
 */
@Injectable()
export class LocalPathProvisioner implements OnApplicationBootstrap, OnModuleDestroy {
  readonly identity = `${hostname()}_${process.pid}_${randomBytes(4).toString('hex')}`;
  private lease?: LeaderLease;
  private caches?: LocalPathCaches;
  private reconciler?: LocalPathReconciler;
  private resync?: NodeJS.Timeout;
  private readonly busy = new Set<string>();
  private readonly again = new Set<string>();
  private readonly unsubscribe: Array<() => void> = [];

  constructor(
    @Inject(CLUSTER_REGISTRY) private readonly registry: ClusterRegistry,
    @Inject(STORAGE_OPTIONS) private readonly options: StorageOptions,
    @Inject(LOGGER) private readonly logger: BosunLogger,
    private readonly health: HealthRegistry,
    private readonly storageCaches: StorageCaches,
  ) {}

  get isLeader(): boolean {
    return this.lease?.isLeader ?? false;
  }

  onApplicationBootstrap(): void {
    // Nest runs the hooks again for the kit's connected microservice (same container): once is enough.
    if (this.lease || !this.registry.has(this.registry.defaultName)) return;
    const port = this.registry.get();
    // The same informers the queries read (one list+watch per resource); nodes for the selected node's hostname label.
    const caches: LocalPathCaches = this.storageCaches.forPort(this.registry.defaultName, port).informers;
    this.caches = caches;
    const teardown = { namespace: this.options.leaseNamespace, image: this.options.helperImage, base: this.options.localPathBase, timeoutMs: HELPER_TIMEOUT_MS };
    this.reconciler = new LocalPathReconciler(port, caches, teardown, this.identity, this.logger.child({ component: 'local-path' }));
    this.unsubscribe.push(
      caches.claims.onEvent((type, c) => type !== 'DELETED' && this.enqueue({ kind: 'claim', key: claimKey(c) })),
      caches.volumes.onEvent((type, v) => type !== 'DELETED' && this.enqueue({ kind: 'volume', key: v.metadata.name })),
    );
    void Promise.all([caches.claims.start(), caches.volumes.start(), caches.classes.start()]).then(() => this.resyncAll());
    this.lease = new LeaderLease(port, {
      namespace: this.options.leaseNamespace, name: LEASE_NAME, identity: this.identity, durationSeconds: this.options.leaseDurationSeconds,
    }, this.logger.child({ component: 'leader-lease' }), (leading) => leading && this.resyncAll());
    this.lease.start();
    this.resync = setInterval(() => this.resyncAll(), this.options.resyncSeconds * 1000);
    this.health.register('local-path-provisioner', () => this.healthNow());
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.resync);
    for (const off of this.unsubscribe.splice(0)) off();
    await this.lease?.stop();
  }

  private resyncAll(): void {
    if (!this.isLeader || !this.caches) return;
    for (const c of this.caches.claims.list()) this.enqueue({ kind: 'claim', key: claimKey(c) });
    for (const v of this.caches.volumes.list()) this.enqueue({ kind: 'volume', key: v.metadata.name });
  }

  /** One pass per object at a time; an event during a pass runs it once more afterwards. */
  private enqueue(work: Work): void {
    if (!this.isLeader) return;
    const id = `${work.kind}:${work.key}`;
    if (this.busy.has(id)) {
      this.again.add(id);
      return;
    }
    this.busy.add(id);
    void this.run(work).finally(() => {
      this.busy.delete(id);
      if (this.again.delete(id)) this.enqueue(work);
    });
  }

  private async run(work: Work): Promise<void> {
    const { caches, reconciler } = this;
    if (!caches || !reconciler) return;
    try {
      if (work.kind === 'claim') {
        const [ns, name] = work.key.split('/');
        const claim = caches.claims.get(ns, name);
        if (claim) await reconciler.claim(claim);
      } else {
        const pv = caches.volumes.get(undefined, work.key);
        if (pv) await reconciler.volume(pv);
      }
    } catch (err) {
      // The next event or resync tries again; the apiserver's words are in the log.
      this.logger.warn({ err, kind: work.kind, key: work.key }, 'local-path reconcile failed');
    }
  }

  private healthNow(): ComponentHealth {
    // Nodes are a shortcut (a node missing from the cache is read): only the three the provisioner cannot do without count.
    const { claims, volumes, classes } = this.caches ?? {};
    const unsynced = Object.entries({ claims, volumes, classes }).filter(([, i]) => !i?.health().synced).map(([k]) => k);
    if (unsynced.length) return { ok: false, detail: `informers not synced: ${unsynced.join(', ')}` };
    return { ok: true, detail: this.isLeader ? `leading as ${this.identity}` : 'standing by (another replica leads)' };
  }
}
