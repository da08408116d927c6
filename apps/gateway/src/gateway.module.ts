import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { AuditModule } from './audit/audit.module';
import { AutoscalingModule } from './autoscaling/autoscaling.module';
import { AuthModule } from './auth/auth.module';
import { ClustersModule } from './clusters/clusters.module';
import { CoreModule } from './core/core.module';
import { DeploymentsModule } from './deployments/deployments.module';
import { DnsModule } from './dns/dns.module';
import type { GatewayOptions } from './gateway.options';
import { IdentitiesModule } from './identities/identities.module';
import { NodesModule } from './nodes/nodes.module';
import { OperationWorkersModule } from './operations/operation-workers.module';
import { OperationsModule } from './operations/operations.module';
import { StorageModule } from './storage/storage.module';
import { SystemModule } from './system/system.module';
import { TenantsModule } from './tenants/tenants.module';

/** The HTTP features of the gateway, one module each. */
export const GATEWAY_FEATURES = [SystemModule, AuthModule, AuditModule, OperationsModule, DeploymentsModule, IdentitiesModule, ClustersModule, DnsModule, StorageModule, TenantsModule, NodesModule, AutoscalingModule];

/** The public HTTP API. It never talks to Kubernetes: it sends commands and asks services. */
@Module({})
export class GatewayModule {
  static forRoot(options: GatewayOptions = {}): DynamicModule {
    return { module: GatewayModule, imports: [CoreModule.forRoot(options), ...GATEWAY_FEATURES, OperationWorkersModule] };
  }
}
