import { bootstrapService } from '@bosun/service-kit';
import { ClustersModule } from './clusters/clusters.module';
import { DeploymentsModule } from './deployments/deployments.module';

// Joins the deployer's command consumer, runs its operations worker and answers its queries.
void bootstrapService('deployer', [DeploymentsModule, ClustersModule]);
