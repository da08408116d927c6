import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { IdentitiesModule } from '../identities/identities.module';
import { AuditController } from './audit.controller';
import { AuditLog } from './audit.log';
import { AuditMiddleware } from './audit.middleware';

/** The audit trail: every mutating request recorded (by middleware), its query route, and chatops' own refusals. */
@Module({ imports: [AuthModule, IdentitiesModule], controllers: [AuditController], providers: [AuditLog, AuditMiddleware], exports: [AuditLog, AuditMiddleware] })
export class AuditModule {}
