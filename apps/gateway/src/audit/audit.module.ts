import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { AuditController } from './audit.controller';
import { AuditLog } from './audit.log';
import { AuditMiddleware } from './audit.middleware';

/** The audit trail: every mutating request recorded (by middleware), and its query route. */
@Module({ imports: [AuthModule], controllers: [AuditController], providers: [AuditLog, AuditMiddleware], exports: [AuditLog, AuditMiddleware] })
export class AuditModule {}
