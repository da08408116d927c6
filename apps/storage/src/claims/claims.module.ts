import { Module } from '@nestjs/common';
import { CachesModule } from '../common/caches.module';
import { ClaimHandlers } from './claim.handlers';
import { ClaimOperations } from './claim.operations';
import { ClaimQueries } from './claim.queries';

/** Claims: create and expand (operations), list, diagnosis and orphans (queries). */
@Module({ imports: [CachesModule], controllers: [ClaimHandlers, ClaimQueries], providers: [ClaimOperations] })
export class ClaimsModule {}
