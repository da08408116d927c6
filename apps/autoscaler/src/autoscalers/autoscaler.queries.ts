import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { z } from 'zod';
import {
  AUTOSCALER_QUERIES, autoscalerCreateRequestSchema, autoscalerIdSchema, autoscalerListParamsSchema, decisionsParamsSchema, querySubject, simulateParamsSchema,
} from '@bosun/contracts';
import type {
  AutoscalerCreateRequest, AutoscalerDeleteResult, AutoscalerIdParams, AutoscalerListResponse, AutoscalerView, DecisionsResponse, FieldError, SimulationResponse,
} from '@bosun/contracts';
import { simulate, validateAutoscalerRequest } from '@bosun/autoscaler-domain';
import { QueryContext, QueryHandler } from '@bosun/service-kit';
import { AutoscalerLifecycle } from './autoscaler.lifecycle';
import { AutoscalerStore } from './autoscaler.store';

const subject = (name: string): string => querySubject('autoscaler', name);
/** After the schema (the kit's pipe): the domain's exact-quantity checks (a target must be > 0, Utilization whole). */
const quantityRules = (body: AutoscalerCreateRequest): FieldError[] => {
  const r = validateAutoscalerRequest(body);
  return r.ok ? [] : r.errors;
};

/**
 * `/v1/autoscalers`: request/reply queries, so that create answers 201 with the autoscaler
 * (it writes the definition and the target's annotation before it answers). Reads of the
 * cluster are made as the asking subject.
 */
@Controller()
export class AutoscalerQueries {
  constructor(private readonly lifecycle: AutoscalerLifecycle, private readonly store: AutoscalerStore) {}

  @QueryHandler(subject(AUTOSCALER_QUERIES.create), autoscalerCreateRequestSchema, quantityRules)
  create(@Payload() body: AutoscalerCreateRequest, @Ctx() q: QueryContext): Promise<AutoscalerView> {
    return this.lifecycle.create(body, q);
  }

  @QueryHandler(subject(AUTOSCALER_QUERIES.list), autoscalerListParamsSchema)
  async list(@Payload() p: z.infer<typeof autoscalerListParamsSchema>, @Ctx() q: QueryContext): Promise<AutoscalerListResponse> {
    return { items: await this.lifecycle.list(q, p.namespace) };
  }

  @QueryHandler(subject(AUTOSCALER_QUERIES.get), autoscalerIdSchema)
  async get(@Payload() p: AutoscalerIdParams, @Ctx() q: QueryContext): Promise<AutoscalerView> {
    return this.lifecycle.view(await this.lifecycle.get(p.id, q), q);
  }

  @QueryHandler(subject(AUTOSCALER_QUERIES.delete), autoscalerIdSchema)
  async delete(@Payload() p: AutoscalerIdParams, @Ctx() q: QueryContext): Promise<AutoscalerDeleteResult> {
    await this.lifecycle.delete(p.id, q);
    return { id: p.id, deleted: true };
  }

  @QueryHandler(subject(AUTOSCALER_QUERIES.decisions), decisionsParamsSchema)
  async decisions(@Payload() p: z.infer<typeof decisionsParamsSchema>, @Ctx() q: QueryContext): Promise<DecisionsResponse> {
    await this.lifecycle.get(p.id, q);
    return { items: (await this.store.decisions(p.id, p.limit)).map((d) => d.view) };
  }

  /** The recorded evaluations (newest first, as decisions lists them) replayed with other settings. */
  @QueryHandler(subject(AUTOSCALER_QUERIES.simulate), simulateParamsSchema)
  async simulate(@Payload() p: z.infer<typeof simulateParamsSchema>, @Ctx() q: QueryContext): Promise<SimulationResponse> {
    await this.lifecycle.get(p.id, q);
    const { id, ...overrides } = p;
    const recorded = (await this.store.decisions(id)).map((d) => ({ at: d.view.at, input: d.input, desiredReplicas: d.view.desiredReplicas }));
    return { items: simulate(recorded, overrides) };
  }
}
