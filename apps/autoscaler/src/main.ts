import { bootstrapService } from '@bosun/service-kit';
import { AutoscalersModule } from './autoscalers/autoscalers.module';
import { RecommendationModule } from './recommendation/recommendation.module';

// Answers the autoscaler's queries (pure calculators, autoscaler CRUD) and runs the managed loop.
void bootstrapService('autoscaler', [RecommendationModule, AutoscalersModule]);
