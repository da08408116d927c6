import { Module } from '@nestjs/common';
import { OperationsModule } from '../operations/operations.module';
import { StorageController } from './storage.controller';

/** `/v1/storage`: thin adapters onto the storage service's operations and queries. */
@Module({ imports: [OperationsModule], controllers: [StorageController] })
export class StorageModule {}
