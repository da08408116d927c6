import { Module } from '@nestjs/common';
import { kubeRuntime } from '@bosun/service-kit';
import { DeploymentHandlers } from './deployment.handlers';
import { DeploymentOperations } from './deployment.operations';
import { DeploymentQueries } from './deployment.queries';
import { RolloutInformers } from './rollout.informers';

/**
 * Deployments: operation handlers (deploy, set-image, rollback, pause, resume, restart, scale,
 * delete) and read queries on the operations kit; rollouts tracked on shared informers.
 */
@Module({
  imports: [kubeRuntime()],
  controllers: [DeploymentHandlers, DeploymentQueries],
  providers: [DeploymentOperations, RolloutInformers],
})
export class DeploymentsModule {}
