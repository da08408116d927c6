import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import {
  commandSubject, createVolumePayloadSchema, noParamsSchema, patchVolumePayloadSchema, querySubject, releaseVolumePayloadSchema, STORAGE_QUERIES,
} from '@bosun/contracts';
import type { CreateVolumeRequest, PatchVolumePayload, VolumeRef, VolumeResult, VolumeView } from '@bosun/contracts';
import { CLUSTER_REGISTRY } from '@bosun/kube';
import type { ClusterRegistry } from '@bosun/kube';
import { OperationContext, OperationHandler, QueryContext, QueryHandler } from '@bosun/service-kit';
import { toVolumeView } from '@bosun/storage-domain';
import { STORAGE_RULES } from '../common/command.rules';
import { StorageRepository } from '../common/storage.repository';
import { VolumeOperations } from './volume.operations';

/** `bosun.cmd.storage.{create,patch,release}-volume.v1` and the `volumes` query. */
@Controller()
export class VolumeHandlers {
  constructor(
    private readonly ops: VolumeOperations,
    @Inject(CLUSTER_REGISTRY) private readonly registry: ClusterRegistry,
  ) {}

  @OperationHandler(commandSubject('storage', 'create-volume'), { schema: createVolumePayloadSchema, rules: STORAGE_RULES['create-volume'] })
  create(@Payload() p: CreateVolumeRequest, @Ctx() op: OperationContext): Promise<VolumeResult> {
    return this.ops.create(p, op);
  }

  @OperationHandler(commandSubject('storage', 'patch-volume'), { schema: patchVolumePayloadSchema })
  patch(@Payload() p: PatchVolumePayload, @Ctx() op: OperationContext): Promise<VolumeResult> {
    return this.ops.patch(p, op);
  }

  @OperationHandler(commandSubject('storage', 'release-volume'), { schema: releaseVolumePayloadSchema })
  release(@Payload() p: VolumeRef, @Ctx() op: OperationContext): Promise<VolumeResult> {
    return this.ops.release(p, op);
  }

  @QueryHandler(querySubject('storage', STORAGE_QUERIES.volumes), noParamsSchema)
  async volumes(@Payload() _p: unknown, @Ctx() q: QueryContext): Promise<VolumeView[]> {
    const repo = new StorageRepository(await this.registry.resolve(q.cluster), q.identity);
    return (await repo.volumes()).map(toVolumeView).sort((a, b) => a.name.localeCompare(b.name));
  }
}
