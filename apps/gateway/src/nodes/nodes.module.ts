import { Module } from '@nestjs/common';
import { OperationsModule } from '../operations/operations.module';
import { NodesController } from './nodes.controller';

/** `/v1/nodes`: thin adapters onto the provisioner's node operations and queries. */
@Module({ imports: [OperationsModule], controllers: [NodesController] })
export class NodesModule {}
