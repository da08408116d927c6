import { Module } from '@nestjs/common';
import { kubeRuntime } from '@bosun/service-kit';
import { TenantHandlers } from './tenant.handlers';
import { TenantOperations } from './tenant.operations';
import { TenantQueries } from './tenant.queries';

/** Tenants: create and delete as operations; view, list and credentials as queries. */
@Module({
  imports: [kubeRuntime()],
  controllers: [TenantHandlers, TenantQueries],
  providers: [TenantOperations],
})
export class TenantsModule {}
