import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { commandSubject, PROVISIONER_ACTIONS, tenantCreateRequestSchema, tenantRefSchema } from '@bosun/contracts';
import type { TenantCreateRequest, TenantCreateResult, TenantDeleteResult, TenantRef } from '@bosun/contracts';
import { tenantNameErrors, validateTenantRequest } from '@bosun/provisioner-domain';
import { OperationContext, OperationHandler } from '@bosun/service-kit';
import { TenantOperations } from './tenant.operations';

/** `bosun.cmd.provisioner.tenant-create|tenant-delete.v1`: one operation each; the kit owns the lifecycle. */
@Controller()
export class TenantHandlers {
  constructor(private readonly ops: TenantOperations) {}

  @OperationHandler(commandSubject('provisioner', PROVISIONER_ACTIONS['tenant.create']), { schema: tenantCreateRequestSchema, rules: validateTenantRequest })
  create(@Payload() p: TenantCreateRequest, @Ctx() op: OperationContext): Promise<TenantCreateResult> {
    return this.ops.create(p, op);
  }

  @OperationHandler(commandSubject('provisioner', PROVISIONER_ACTIONS['tenant.delete']), { schema: tenantRefSchema, rules: (p) => tenantNameErrors(p.name) })
  remove(@Payload() p: TenantRef, @Ctx() op: OperationContext): Promise<TenantDeleteResult> {
    return this.ops.remove(p, op);
  }
}
