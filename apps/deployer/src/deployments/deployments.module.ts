import { Module } from '@nestjs/common';
import { kubeRuntime } from '@bosun/service-kit';
import { DeploymentCommands } from './deployment.commands';
import { DeploymentQueries } from './deployment.queries';
import { OperationCancellations } from './operation.cancellations';
import { OperationQueue } from './operation.queue';
import { OperationRunner } from './operation.runner';
import { OperationWorker } from './operation.worker';
import { RolloutInformers } from './rollout.informers';

/**
 * Deployments: commands → jobs → mutations and rollout tracking → operation events; and the
 * read queries. Brings its cluster registry (kubeRuntime()); needs the service-kit runtime.
 */
@Module({
  imports: [kubeRuntime()],
  providers: [OperationQueue, OperationCancellations, DeploymentCommands, RolloutInformers, OperationRunner, OperationWorker, DeploymentQueries],
})
export class DeploymentsModule {}
