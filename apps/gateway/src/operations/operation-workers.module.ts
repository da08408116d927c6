import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ApprovalExpirySweeper } from './approval-expiry.sweeper';
import { OperationDispatcher } from './operation.dispatcher';
import { OperationEventsConsumer } from './operation-events.consumer';
import { OperationReconciler } from './operation.reconciler';
import { OperationsModule } from './operations.module';
import { RetentionTrimmer } from './retention.trimmer';

/** The background half of operations: sending the outbox, folding service events, expiring approvals, reconciling, trimming what is past its retention. */
@Module({ imports: [OperationsModule, AuditModule], providers: [OperationEventsConsumer, ApprovalExpirySweeper, OperationReconciler, RetentionTrimmer, OperationDispatcher] })
export class OperationWorkersModule {}
