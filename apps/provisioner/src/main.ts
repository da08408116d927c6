import { bootstrapService } from '@bosun/service-kit';
import { NodesModule } from './nodes/nodes.module';
import { TenantsModule } from './tenants/tenants.module';

// Joins the provisioner's command consumer, runs its operations worker and answers its queries.
void bootstrapService('provisioner', [TenantsModule, NodesModule]);
