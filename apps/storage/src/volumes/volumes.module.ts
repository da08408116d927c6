import { Module } from '@nestjs/common';
import { VolumeHandlers } from './volume.handlers';
import { VolumeOperations } from './volume.operations';

/** Static PersistentVolumes: create, reclaim policy, release (operations) and the list (query). */
@Module({ controllers: [VolumeHandlers], providers: [VolumeOperations] })
export class VolumesModule {}
