import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { commandSubject, createClaimPayloadSchema, expandClaimPayloadSchema } from '@bosun/contracts';
import type { CreateClaimRequest, CreateClaimResult, ExpandClaimPayload, ExpandClaimResult } from '@bosun/contracts';
import { OperationContext, OperationHandler } from '@bosun/service-kit';
import { STORAGE_RULES } from '../common/command.rules';
import { ClaimOperations } from './claim.operations';

/** `bosun.cmd.storage.{create-claim,expand-claim}.v1`: claims are operations (API.md). */
@Controller()
export class ClaimHandlers {
  constructor(private readonly ops: ClaimOperations) {}

  @OperationHandler(commandSubject('storage', 'create-claim'), { schema: createClaimPayloadSchema, rules: STORAGE_RULES['create-claim'] })
  create(@Payload() p: CreateClaimRequest, @Ctx() op: OperationContext): Promise<CreateClaimResult> {
    return this.ops.create(p, op);
  }

  @OperationHandler(commandSubject('storage', 'expand-claim'), { schema: expandClaimPayloadSchema, rules: STORAGE_RULES['expand-claim'] })
  expand(@Payload() p: ExpandClaimPayload, @Ctx() op: OperationContext): Promise<ExpandClaimResult> {
    return this.ops.expand(p, op);
  }
}
