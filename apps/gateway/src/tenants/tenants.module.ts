import { Module } from '@nestjs/common';
import { OperationsModule } from '../operations/operations.module';
import { TenantsController } from './tenants.controller';

/** `/v1/tenants`: thin adapters onto the provisioner's tenant operations and queries. */
@Module({ imports: [OperationsModule], controllers: [TenantsController] })
export class TenantsModule {}
