import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { commandSubject, createClaimPayloadSchema, expandClaimPayloadSchema } from '@bosun/contracts';
import type { CreateClaimRequest, CreateClaimResult, ExpandClaimPayload, ExpandClaimResult } from '@bosun/contracts';
import { OperationContext, OperationHandler } from '@bosun/service-kit';
import { positiveSize, validateClaimRequest } from '@bosun/storage-domain';
import { ClaimOperations } from './claim.operations';

/** `bosun.cmd.storage.{create-claim,expand-claim}.v1`: claims are operations (API.md). */
@Controller()
export class ClaimHandlers {
  constructor(private readonly ops: ClaimOperations) {}

  @OperationHandler(commandSubject('storage', 'create-claim'), { schema: createClaimPayloadSchema, rules: validateClaimRequest })
  create(@Payload() p: CreateClaimRequest, @Ctx() op: OperationContext): Promise<CreateClaimResult> {
    return this.ops.create(p, op);
  }

  @OperationHandler(commandSubject('storage', 'expand-claim'), {
    schema: expandClaimPayloadSchema,
    rules: (p: ExpandClaimPayload) => {
      const size = positiveSize(p.size, 'size');
      return size.ok ? [] : size.errors;
    },
  })
  expand(@Payload() p: ExpandClaimPayload, @Ctx() op: OperationContext): Promise<ExpandClaimResult> {
    return this.ops.expand(p, op);
  }
}
