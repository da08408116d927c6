import { Module } from '@nestjs/common';
import { LocalPathProvisioner } from './local-path.provisioner';

/** The `bosun.dev/local-path` dynamic provisioner and resizer, behind a leader Lease. */
@Module({ providers: [LocalPathProvisioner], exports: [LocalPathProvisioner] })
export class LocalPathModule {}
