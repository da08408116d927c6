import { Module } from '@nestjs/common';
import { ApprovalExpirySweeper } from './approval-expiry.sweeper';
import { OperationEventsConsumer } from './operation-events.consumer';
import { OperationReconciler } from './operation.reconciler';
import { OperationsModule } from './operations.module';

/** The background half of operations: folding service events, expiring approvals, reconciling. */
@Module({ imports: [OperationsModule], providers: [OperationEventsConsumer, ApprovalExpirySweeper, OperationReconciler] })
export class OperationWorkersModule {}
