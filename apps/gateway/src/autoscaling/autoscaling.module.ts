import { Module } from '@nestjs/common';
import { OperationsModule } from '../operations/operations.module';
import { AutoscalingController } from './autoscaling.controller';

/** `/v1/autoscaling` and `/v1/autoscalers`: thin adapters onto the autoscaler's queries. */
@Module({ imports: [OperationsModule], controllers: [AutoscalingController] })
export class AutoscalingModule {}
