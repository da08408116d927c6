import { isKubeError } from '@bosun/kube';
import type { KubePort, SharedInformer } from '@bosun/kube';
import type { BosunLogger } from '@bosun/logging';
import {
  buildLocalPathVolume, compareSizes, decideLocalPathReclaim, decideProvisioning, KEYS, LOCAL_PATH_PROVISIONER, planLocalPathExpansion,
  provisioningEvent, provisioningFailedEvent, provisioningSucceededEvent,
} from '@bosun/storage-domain';
import type { Node } from '@bosun/storage-domain';
import { claimRef, volumeRef } from '../common/storage.repository';
import type { ClaimObject, ClassObject, Kube, VolumeObject } from '../common/storage.repository';
import { patchClaimStatus } from './claim-status.writer';
import { EventRecorder } from './claim.events';
import { removeVolumeDirectory } from './teardown.helper';
import type { TeardownOptions } from './teardown.helper';

const requestOf = (c: ClaimObject): string => String(c.spec?.resources?.requests?.storage ?? '0');

export interface LocalPathCaches {
  claims: SharedInformer<ClaimObject>;
  volumes: SharedInformer<VolumeObject>;
  classes: SharedInformer<ClassObject>;
  nodes: SharedInformer<Kube<Node>>;
}

/** Longer than the volume informer ever lags behind our own create; a volume of ours is not made twice within it. */
const CREATED_MEMORY_MS = 60_000;

/**
 * One pass of the `bosun.dev/local-path` provisioner over one claim or one volume: provision
 * (rancher's flow: a hostPath PV on the selected node, claimRef to the claim; the real PV
 * controller binds it), resize its own volumes (as an external resizer), and reclaim them
 * (Delete removes the PV; Retain leaves it Released). Every call is made as Bosun's own
 * account: this is the provisioner's housekeeping, nobody's request to impersonate.
 */
export class LocalPathReconciler {
  private readonly events: EventRecorder;
  /** ProvisioningFailed is recorded once per claim and message, not on every resync. */
  private readonly failures = new Map<string, string>();
  /** Volumes this replica created, by name, with when: the informer may not show them yet. */
  private readonly created = new Map<string, number>();

  constructor(
    private readonly port: KubePort,
    private readonly caches: LocalPathCaches,
    private readonly teardown: TeardownOptions,
    instance: string,
    private readonly logger: BosunLogger,
  ) {
    this.events = new EventRecorder(port, instance);
  }

  async claim(claim: ClaimObject): Promise<void> {
    if (claim.status?.phase === 'Bound') return this.resize(claim);
    const existing = new Set(this.caches.volumes.list().map((v) => v.metadata.name));
    const decision = decideProvisioning(claim, this.caches.classes.list(), existing);
    if (decision.action === 'skip') return;
    if (decision.action === 'fail') return this.failed(claim, decision.message);
    // The cache may lag behind our own create (the claim changes again as the PV controller binds it).
    if (this.createdRecently(decision.volumeName)) return;
    const node = this.caches.nodes.get(undefined, decision.node) ?? await this.port.get<Kube<Node>>({ apiVersion: 'v1', kind: 'Node', name: decision.node });
    if (!node) return this.failed(claim, `nodes "${decision.node}" not found`, decision.storageClass.metadata?.name);
    const pv = buildLocalPathVolume(claim, decision.storageClass, { name: decision.node, labels: node.metadata.labels as Record<string, string> | undefined }, this.teardown.base);
    // The PV is what the PV controller (and the claim's pod) waits for: the one request on the way, the Provisioning
    // event beside it rather than before it. Made early enough, the PV controller finds it on the claim's next sync and
    // binds at once, instead of first writing its storage-provisioner annotation and ExternalProvisioning event.
    const announced = this.events.record(claim, provisioningEvent(claim)).catch((err: unknown) => {
      // Events are best effort (client-go's recorder drops them too): the volume is what matters.
      this.logger.warn({ err, ns: claim.metadata.namespace, claim: claim.metadata.name }, 'Provisioning event not recorded');
    });
    try {
      await this.port.create(pv as VolumeObject);
    } catch (err) {
      await announced;
      if (isKubeError(err, 'AlreadyExists')) return;
      return this.failed(claim, err instanceof Error ? err.message : String(err), decision.storageClass.metadata?.name);
    }
    this.remember(decision.volumeName);
    await announced;
    this.failures.delete(claim.metadata.uid as string);
    this.logger.info({ ns: claim.metadata.namespace, claim: claim.metadata.name, volume: decision.volumeName, node: decision.node, path: pv.spec?.hostPath?.path }, 'local-path volume provisioned');
    await this.events.record(claim, provisioningSucceededEvent(decision.volumeName));
  }

  /**
   * A Released volume of ours with policy Delete: its directory goes first (a helper pod on its
   * node, as rancher does; kwok nodes run no pods, so there it is only recorded), then the PV,
   * conditional on its uid so that a volume re-created under the same name is left alone. A
   * failed clean-up keeps the PV (VolumeFailedDelete) and the next pass tries again.
   */
  async volume(pv: VolumeObject): Promise<void> {
    const decision = decideLocalPathReclaim(pv);
    if (decision.action === 'keep') return;
    const name = pv.metadata.name;
    const removed = await removeVolumeDirectory(this.port, name, decision, this.teardown);
    if (!removed.ok) {
      if (this.firstTime(pv, removed.message)) await this.events.record(pv, { type: 'Warning', reason: 'VolumeFailedDelete', message: removed.message });
      return;
    }
    const how = removed.how === 'helper-pod' ? 'removed by a helper pod' : 'not removed: the node is simulated (kwok) or gone';
    this.logger.info({ volume: name, node: decision.node, path: decision.path, how: removed.how }, 'local-path volume deleted');
    await this.events.record(pv, { type: 'Normal', reason: 'VolumeDelete', message: `Deleting volume ${name} at ${decision.node}:${decision.path} (directory ${how})` });
    const uid = pv.metadata.uid as string | undefined;
    await this.port.delete(volumeRef(name), uid ? { preconditions: { uid } } : {});
  }

  /**
   * A Bound claim of ours asking for more than its status says: the PV's capacity, then the
   * claim's status.capacity with the resize conditions cleared, as external-resizer does.
   */
  private async resize(claim: ClaimObject): Promise<void> {
    const pv = this.ownVolumeNeedingResize(claim);
    if (!pv) return;
    const sc = this.caches.classes.get(undefined, claim.spec?.storageClassName ?? '');
    const plan = planLocalPathExpansion({ claim, volume: pv, storageClass: sc, size: requestOf(claim) });
    if (!plan.ok) {
      const message = plan.errors.map((e) => e.message).join('; ');
      if (this.firstTime(claim, `resize: ${message}`)) await this.events.record(claim, { type: 'Warning', reason: 'VolumeResizeFailed', message });
      return;
    }
    const name = pv.metadata.name;
    if (compareSizes(String(pv.spec?.capacity?.storage ?? '0'), plan.value.size) < 0) {
      await this.events.record(claim, { type: 'Normal', reason: 'Resizing', message: `External resizer is resizing volume ${name}` });
      await this.port.patch(volumeRef(name), plan.value.volumePatch, 'merge');
    }
    await patchClaimStatus(this.port, claimRef(claim.metadata.namespace ?? 'default', claim.metadata.name), plan.value.claimStatusPatch.status);
    this.logger.info({ ns: claim.metadata.namespace, claim: claim.metadata.name, volume: name, size: plan.value.size }, 'local-path volume resized');
    await this.events.record(claim, { type: 'Normal', reason: 'VolumeResizeSuccessful', message: 'Resize volume succeeded' });
  }

  /** Our own volume, when the claim asks for more than its status says it has. */
  private ownVolumeNeedingResize(claim: ClaimObject): VolumeObject | undefined {
    if (compareSizes(requestOf(claim), String(claim.status?.capacity?.storage ?? '0')) <= 0) return undefined;
    const pv = claim.spec?.volumeName ? this.caches.volumes.get(undefined, claim.spec.volumeName) : undefined;
    return pv?.metadata.annotations?.[KEYS.provisionedBy] === LOCAL_PATH_PROVISIONER ? pv : undefined;
  }

  private createdRecently(name: string): boolean {
    const at = this.created.get(name);
    return at !== undefined && Date.now() - at < CREATED_MEMORY_MS;
  }

  private remember(name: string): void {
    const now = Date.now();
    for (const [n, at] of this.created) if (now - at >= CREATED_MEMORY_MS) this.created.delete(n);
    this.created.set(name, now);
  }

  /** Whether this failure of this claim is new (not recorded on an earlier pass). */
  private firstTime(obj: ClaimObject | VolumeObject, message: string): boolean {
    const uid = String(obj.metadata.uid ?? obj.metadata.name);
    if (this.failures.get(uid) === message) return false;
    this.failures.set(uid, message);
    return true;
  }

  private async failed(claim: ClaimObject, message: string, className = claim.spec?.storageClassName ?? ''): Promise<void> {
    if (!this.firstTime(claim, message)) return;
    this.logger.warn({ ns: claim.metadata.namespace, claim: claim.metadata.name, message }, 'local-path provisioning failed');
    await this.events.record(claim, provisioningFailedEvent(className, message));
  }
}
