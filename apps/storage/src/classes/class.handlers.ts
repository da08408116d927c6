import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { commandSubject, noParamsSchema, querySubject, setDefaultClassPayloadSchema, STORAGE_QUERIES } from '@bosun/contracts';
import type { SetDefaultClassRequest, SetDefaultClassResult, StorageClassView } from '@bosun/contracts';
import { CLUSTER_REGISTRY } from '@bosun/kube';
import type { ClusterRegistry } from '@bosun/kube';
import { OperationContext, OperationHandler, QueryContext, QueryHandler } from '@bosun/service-kit';
import { toStorageClassViews } from '@bosun/storage-domain';
import { StorageRepository } from '../common/storage.repository';
import { ClassOperations } from './class.operations';

/** `bosun.cmd.storage.set-default-class.v1` and the `classes` query. */
@Controller()
export class ClassHandlers {
  constructor(
    private readonly ops: ClassOperations,
    @Inject(CLUSTER_REGISTRY) private readonly registry: ClusterRegistry,
  ) {}

  @OperationHandler(commandSubject('storage', 'set-default-class'), { schema: setDefaultClassPayloadSchema })
  setDefault(@Payload() p: SetDefaultClassRequest, @Ctx() op: OperationContext): Promise<SetDefaultClassResult> {
    return this.ops.setDefault(p, op);
  }

  @QueryHandler(querySubject('storage', STORAGE_QUERIES.classes), noParamsSchema)
  async classes(@Payload() _p: unknown, @Ctx() q: QueryContext): Promise<StorageClassView[]> {
    const repo = new StorageRepository(await this.registry.resolve(q.cluster), q.identity);
    return toStorageClassViews(await repo.classes());
  }
}
