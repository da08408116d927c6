import { Module } from '@nestjs/common';
import { OperationsModule } from '../operations/operations.module';
import { DeployEnvSealer } from './deploy-env.sealer';
import { DeploymentsController } from './deployments.controller';

@Module({ imports: [OperationsModule], controllers: [DeploymentsController], providers: [DeployEnvSealer] })
export class DeploymentsModule {}
