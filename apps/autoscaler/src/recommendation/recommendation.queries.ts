import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { AUTOSCALER_QUERIES, proportionalRequestSchema, querySubject, recommendationRequestSchema } from '@bosun/contracts';
import type { FieldError, ProportionalRequest, ProportionalResponse, RecommendationRequest, RecommendationResponse } from '@bosun/contracts';
import { proportionalReplicas, recommendReplicas, validateRecommendationRequest } from '@bosun/autoscaler-domain';
import { QueryHandler } from '@bosun/service-kit';

const subject = (name: string): string => querySubject('autoscaler', name);
/** The schema ran already (the kit's pipe); these are the exact-quantity checks the domain adds (a target must be > 0). */
const quantityRules = (body: RecommendationRequest): FieldError[] => {
  const r = validateRecommendationRequest(body);
  return r.ok ? [] : r.errors;
};

/** The pure calculators: the HPA algorithm and cluster-proportional scaling, no cluster and no state. */
@Controller()
export class RecommendationQueries {
  @QueryHandler(subject(AUTOSCALER_QUERIES.recommendation), recommendationRequestSchema, quantityRules)
  recommendation(@Payload() body: RecommendationRequest): RecommendationResponse {
    return recommendReplicas(body);
  }

  @QueryHandler(subject(AUTOSCALER_QUERIES.proportional), proportionalRequestSchema)
  proportional(@Payload() body: ProportionalRequest): ProportionalResponse {
    return proportionalReplicas(body);
  }
}
