import { Module } from '@nestjs/common';
import { RecommendationQueries } from './recommendation.queries';

/** `POST /v1/autoscaling/recommendation` and `/proportional`: pure queries. */
@Module({ controllers: [RecommendationQueries] })
export class RecommendationModule {}
