import { Inject, Injectable } from '@nestjs/common';
import type { CreateClaimRequest, CreateClaimResult, ExpandClaimPayload, ExpandClaimResult } from '@bosun/contracts';
import { CLUSTER_REGISTRY, isMarkedDone, markerAnnotations, withMarker } from '@bosun/kube';
import type { ClusterRegistry } from '@bosun/kube';
import type { BosunLogger } from '@bosun/logging';
import { LOGGER, OperationFailure } from '@bosun/service-kit';
import type { OperationContext } from '@bosun/service-kit';
import { buildClaimManifest, claimSizePatch, compareSizes } from '@bosun/storage-domain';
import { checkExpansion, checkNewClaim } from '../common/storage.checks';
import { ClaimDiagnoser } from '../common/claim.diagnoser';
import { waitForClaim } from '../common/claim.waiter';
import { claimRef, StorageRepository } from '../common/storage.repository';
import type { ClaimObject } from '../common/storage.repository';
import { STORAGE_OPTIONS } from '../storage.options';
import type { StorageOptions } from '../storage.options';

const requestOf = (c: ClaimObject): string => String(c.spec?.resources?.requests?.storage ?? '0');
const capacityOf = (c: ClaimObject): string | undefined => (c.status?.capacity?.storage === undefined ? undefined : String(c.status.capacity.storage));

/**
 * The claim operations: create (then wait a few seconds for binding, and diagnose a claim
 * still Pending) and expand. Every call is made as the operation's subject; the claim
 * carries the operation marker so a redelivered command changes nothing twice.
 */
@Injectable()
export class ClaimOperations {
  constructor(
    @Inject(CLUSTER_REGISTRY) private readonly registry: ClusterRegistry,
    @Inject(STORAGE_OPTIONS) private readonly options: StorageOptions,
    @Inject(LOGGER) private readonly logger: BosunLogger,
    private readonly diagnoser: ClaimDiagnoser,
  ) {}

  async create(req: CreateClaimRequest, op: OperationContext): Promise<CreateClaimResult> {
    const repo = await this.repository(op);
    op.throwIfStopped();
    const live = await repo.claim(req.namespace, req.name);
    checkNewClaim(req, live, op.operation.operationId);
    if (!live) {
      const manifest = buildClaimManifest(req) as ClaimObject;
      manifest.metadata.annotations = markerAnnotations(undefined, op.operation.operationId);
      // Server-side apply as field manager bosun; the read above keeps a claim of someone else's from being taken over.
      await repo.port.apply(manifest, { as: repo.as });
      this.logger.info({ operationId: op.operation.operationId, ns: req.namespace, name: req.name }, 'claim created');
    }
    op.progress({ current: 1, total: 2, message: 'claim created; waiting for it to bind' });
    const claim = await waitForClaim(repo, req.namespace, req.name, (c) => c.status?.phase === 'Bound', this.options.claimBindWaitMs, op.signal);
    op.throwIfStopped();
    if (!claim) throw new OperationFailure('NotFound', `persistentvolumeclaims "${req.name}" was deleted before it bound`);
    const phase = claim.status?.phase ?? 'Pending';
    if (phase === 'Bound') return { phase, boundTo: claim.spec?.volumeName };
    return { phase, diagnosis: await this.diagnoser.diagnose(op.operation.cluster, repo.as, claim) };
  }

  async expand(p: ExpandClaimPayload, op: OperationContext): Promise<ExpandClaimResult> {
    const repo = await this.repository(op);
    op.throwIfStopped();
    const claim = await repo.requireClaim(p.namespace, p.name);
    const done = isMarkedDone(claim, op.operation.operationId);
    // A redelivered expand finds its own size already requested: the checks below would call it a no-op anyway.
    const size = done ? requestOf(claim) : await checkExpansion(repo, claim, p.size);
    const grows = !done && compareSizes(size, requestOf(claim)) > 0;
    if (grows) {
      const patch = withMarker({ type: 'merge', body: claimSizePatch(size) }, claim, op.operation.operationId);
      await repo.port.patch(claimRef(p.namespace, p.name), patch.body, patch.type, { as: repo.as });
      this.logger.info({ operationId: op.operation.operationId, ns: p.namespace, name: p.name, size }, 'claim expansion requested');
    }
    op.progress({ current: 1, total: 2, message: `requested ${size}; waiting for the volume to be resized` });
    const reached = (c: ClaimObject): boolean => compareSizes(capacityOf(c) ?? '0', size) >= 0;
    const after = await waitForClaim(repo, p.namespace, p.name, reached, this.options.expandWaitMs, op.signal);
    op.throwIfStopped();
    const capacity = after ? capacityOf(after) : undefined;
    return { namespace: p.namespace, name: p.name, size, resized: after ? reached(after) : false, changed: grows, ...(capacity !== undefined ? { capacity } : {}) };
  }

  private async repository(op: OperationContext): Promise<StorageRepository> {
    return new StorageRepository(await this.registry.resolve(op.operation.cluster), op.operation.identity);
  }
}
