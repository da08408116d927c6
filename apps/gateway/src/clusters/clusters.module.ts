import { Module } from '@nestjs/common';
import { OperationsModule } from '../operations/operations.module';
import { ClustersController } from './clusters.controller';

@Module({ imports: [OperationsModule], controllers: [ClustersController] })
export class ClustersModule {}
