import { Module } from '@nestjs/common';
import { kubeRuntime } from '@bosun/service-kit';
import { LoopModule } from '../loop/loop.module';
import { AutoscalerLifecycle } from './autoscaler.lifecycle';
import { AutoscalerQueries } from './autoscaler.queries';

/** Managed and native autoscalers: create, get, list, delete, decisions, simulate; the loop runs them. */
@Module({
  imports: [kubeRuntime(), LoopModule],
  controllers: [AutoscalerQueries],
  providers: [AutoscalerLifecycle],
})
export class AutoscalersModule {}
