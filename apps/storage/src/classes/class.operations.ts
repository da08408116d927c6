import { Inject, Injectable } from '@nestjs/common';
import type { SetDefaultClassRequest, SetDefaultClassResult } from '@bosun/contracts';
import { CLUSTER_REGISTRY, withMarker } from '@bosun/kube';
import type { ClusterRegistry } from '@bosun/kube';
import type { BosunLogger } from '@bosun/logging';
import { LOGGER, OperationFailure } from '@bosun/service-kit';
import type { OperationContext } from '@bosun/service-kit';
import { defaultClassState } from '@bosun/storage-domain';
import { checkDefaultClass } from '../common/storage.checks';
import { classRef, StorageRepository } from '../common/storage.repository';

/**
 * `PUT /v1/storage/default-class`: the domain's switch plan, patches in its order — every
 * other default unmarked first, the target last — so that no moment has two defaults. A
 * retried or redelivered command plans again from what the cluster shows, so it only sends
 * what is still missing; each patch is conditional on the class's resourceVersion and marked.
 */
@Injectable()
export class ClassOperations {
  constructor(
    @Inject(CLUSTER_REGISTRY) private readonly registry: ClusterRegistry,
    @Inject(LOGGER) private readonly logger: BosunLogger,
  ) {}

  async setDefault(p: SetDefaultClassRequest, op: OperationContext): Promise<SetDefaultClassResult> {
    const repo = new StorageRepository(await this.registry.resolve(op.operation.cluster), op.operation.identity);
    op.throwIfStopped();
    const classes = await repo.classes();
    const plan = await checkDefaultClass(repo, p, classes);
    const unset: string[] = [];
    for (const [i, step] of plan.value.entries()) {
      op.throwIfStopped();
      const live = classes.find((c) => c.metadata.name === step.name);
      const patch = withMarker({ type: 'merge', body: step.patch }, live ?? { metadata: {} }, op.operation.operationId);
      await repo.port.patch(classRef(step.name), patch.body, patch.type, { as: repo.as });
      if (step.name !== p.name) unset.push(step.name);
      op.progress({ current: i + 1, total: plan.value.length, message: `${step.name}: ${step.name === p.name ? 'marked' : 'unmarked'} default` });
    }
    const after = defaultClassState(await repo.classes());
    this.logger.info({ operationId: op.operation.operationId, default: after.default, unset }, 'default class set');
    if (after.default !== p.name) {
      throw new OperationFailure('Conflict', `after the switch the default classes are [${after.marked.join(', ')}]: another change raced this one`);
    }
    return { default: p.name, unset, changed: plan.value.length > 0 };
  }
}
