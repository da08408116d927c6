import { Module } from '@nestjs/common';
import { ClaimDiagnoser } from './claim.diagnoser';
import { StorageCaches } from './storage.caches';

/** The per-cluster informers the provisioner and the queries share, and the diagnosis read from them. */
@Module({ providers: [StorageCaches, ClaimDiagnoser], exports: [StorageCaches, ClaimDiagnoser] })
export class CachesModule {}
