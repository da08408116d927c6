import { Module } from '@nestjs/common';
import { ApprovalPolicyStore } from './approval-policy.store';
import { OperationIntake } from './operation-intake';
import { OperationNotifier } from './operation.notifier';
import { OperationStore } from './operation.store';
import { OperationsController } from './operations.controller';
import { OperationsService } from './operations.service';

/** Operations over HTTP: intake (202 + Location), reads, SSE, approvals, cancel, approval policy. */
@Module({
  controllers: [OperationsController],
  providers: [OperationStore, ApprovalPolicyStore, OperationsService, OperationIntake, OperationNotifier],
  exports: [OperationStore, OperationsService, OperationIntake],
})
export class OperationsModule {}
