import { Inject, Injectable } from '@nestjs/common';
import type { CreateVolumeRequest, PatchVolumePayload, VolumeRef, VolumeResult } from '@bosun/contracts';
import { CLUSTER_REGISTRY, isMarkedDone, markerAnnotations, withMarker } from '@bosun/kube';
import type { ClusterRegistry } from '@bosun/kube';
import type { BosunLogger } from '@bosun/logging';
import { LOGGER } from '@bosun/service-kit';
import type { OperationContext } from '@bosun/service-kit';
import { buildVolumeManifest, reclaimPolicyPatch, toVolumeView } from '@bosun/storage-domain';
import { checkNewVolume, checkRelease } from '../common/storage.checks';
import { StorageRepository, volumeRef } from '../common/storage.repository';
import type { VolumeObject } from '../common/storage.repository';
import { STORAGE_OPTIONS } from '../storage.options';
import type { StorageOptions } from '../storage.options';

const POLL_MS = 250;
const result = (pv: VolumeObject, changed: boolean): VolumeResult => ({ ...toVolumeView(pv), changed });

/**
 * Static volumes: create, change the reclaim policy, release. Small synchronous changes, but
 * operations all the same (audited, ordered per volume, at most once by the marker), made as
 * the operation's subject.
 */
@Injectable()
export class VolumeOperations {
  constructor(
    @Inject(CLUSTER_REGISTRY) private readonly registry: ClusterRegistry,
    @Inject(STORAGE_OPTIONS) private readonly options: StorageOptions,
    @Inject(LOGGER) private readonly logger: BosunLogger,
  ) {}

  async create(req: CreateVolumeRequest, op: OperationContext): Promise<VolumeResult> {
    const repo = await this.repository(op);
    op.throwIfStopped();
    const live = await repo.volume(req.name);
    if (live && isMarkedDone(live, op.operation.operationId)) return result(live, false);
    checkNewVolume(req, live);
    const manifest = buildVolumeManifest(req) as VolumeObject;
    manifest.metadata.annotations = markerAnnotations(undefined, op.operation.operationId);
    const created = await repo.port.apply(manifest, { as: repo.as });
    this.logger.info({ operationId: op.operation.operationId, name: req.name }, 'volume created');
    return result(created, true);
  }

  async patch(p: PatchVolumePayload, op: OperationContext): Promise<VolumeResult> {
    const repo = await this.repository(op);
    op.throwIfStopped();
    const live = await repo.requireVolume(p.name);
    if (isMarkedDone(live, op.operation.operationId)) return result(live, false);
    if (live.spec?.persistentVolumeReclaimPolicy === p.reclaimPolicy) return result(live, false);
    const patch = withMarker({ type: 'merge', body: reclaimPolicyPatch(p.reclaimPolicy) }, live, op.operation.operationId);
    const patched = await repo.port.patch<VolumeObject>(volumeRef(p.name), patch.body, patch.type, { as: repo.as });
    return result(patched, true);
  }

  /**
   * Removes `spec.claimRef` (and the controller's bound-by annotation) so that the PV controller
   * makes the volume Available; refused (Conflict) while its claim still holds it. The merge
   * patch is conditional on the resourceVersion read, so a volume rebound in between is left alone.
   */
  async release(p: VolumeRef, op: OperationContext): Promise<VolumeResult> {
    const repo = await this.repository(op);
    op.throwIfStopped();
    const live = await repo.requireVolume(p.name);
    const done = isMarkedDone(live, op.operation.operationId);
    if (!done) {
      const plan = await checkRelease(repo, live);
      if (!plan) return result(live, false);
      const patch = withMarker({ type: 'merge', body: plan.mergePatch as unknown as Record<string, unknown> }, live, op.operation.operationId);
      await repo.port.patch(volumeRef(p.name), patch.body, patch.type, { as: repo.as });
      this.logger.info({ operationId: op.operation.operationId, name: p.name }, 'volume released');
    }
    return result(await this.availableOrAsIs(repo, p.name, op), !done);
  }

  /** The PV controller turns a volume without claimRef Available on its next sync of it: wait a moment for it. */
  private async availableOrAsIs(repo: StorageRepository, name: string, op: OperationContext): Promise<VolumeObject> {
    const deadline = Date.now() + this.options.claimBindWaitMs;
    let pv = await repo.requireVolume(name);
    while (pv.status?.phase !== 'Available' && Date.now() < deadline && !op.signal.aborted) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      pv = await repo.requireVolume(name);
    }
    return pv;
  }

  private async repository(op: OperationContext): Promise<StorageRepository> {
    return new StorageRepository(await this.registry.resolve(op.operation.cluster), op.operation.identity);
  }
}
