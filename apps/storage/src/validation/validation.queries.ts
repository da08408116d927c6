import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { querySubject, STORAGE_QUERIES, storageValidateQuerySchema } from '@bosun/contracts';
import type { z } from 'zod';
import { CLUSTER_REGISTRY } from '@bosun/kube';
import type { ClusterRegistry } from '@bosun/kube';
import { QueryContext, QueryHandler } from '@bosun/service-kit';
import { StorageRepository } from '../common/storage.repository';
import { OperationValidator } from './operation.validator';

/** `bosun.qry.storage.validate.v1`: `{fieldErrors: []}` when the operation would be accepted, else its typed failure. */
@Controller()
export class ValidationQueries {
  constructor(@Inject(CLUSTER_REGISTRY) private readonly registry: ClusterRegistry) {}

  @QueryHandler(querySubject('storage', STORAGE_QUERIES.validate), storageValidateQuerySchema)
  async validate(@Payload() p: z.infer<typeof storageValidateQuerySchema>, @Ctx() q: QueryContext): Promise<{ fieldErrors: [] }> {
    await new OperationValidator(new StorageRepository(await this.registry.resolve(q.cluster), q.identity)).validate(p.kind, p.payload);
    return { fieldErrors: [] };
  }
}
