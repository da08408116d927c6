import { Module } from '@nestjs/common';
import { CachesModule } from '../common/caches.module';
import { LocalPathProvisioner } from './local-path.provisioner';

/** The `bosun.dev/local-path` dynamic provisioner and resizer, behind a leader Lease. */
@Module({ imports: [CachesModule], providers: [LocalPathProvisioner], exports: [LocalPathProvisioner] })
export class LocalPathModule {}
