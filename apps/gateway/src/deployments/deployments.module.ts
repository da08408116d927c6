import { Module } from '@nestjs/common';
import { OperationsModule } from '../operations/operations.module';
import { DeploymentsController } from './deployments.controller';

@Module({ imports: [OperationsModule], controllers: [DeploymentsController] })
export class DeploymentsModule {}
