import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import {
  AUTOSCALER_QUERIES, autoscalerCreateRequestSchema, autoscalerIdSchema, autoscalerListParamsSchema, decisionsParamsSchema, proportionalRequestSchema,
  recommendationRequestSchema, simulateRequestSchema,
} from '@bosun/contracts';
import type {
  AutoscalerCreateRequest, AutoscalerDeleteResult, AutoscalerIdParams, AutoscalerListResponse, AutoscalerView, DecisionsResponse, ProportionalRequest,
  ProportionalResponse, RecommendationRequest, RecommendationResponse, SimulateRequest, SimulationResponse,
} from '@bosun/contracts';
import { Action, RequireRole } from '../auth/auth.decorators';
import { ApiRoute } from '../http/api-route.decorator';
import { ZodBody, ZodQuery } from '../http/zod-body.pipe';
import { ZodParams } from '../http/zod-params.pipe';
import { OperationIntake } from '../operations/operation-intake';

const SERVICE = 'autoscaler';
const TAG = 'autoscaling';
/** The query string of `/decisions` (the cluster rides along, so not strict). */
const decisionsQuerySchema = z.object({ limit: decisionsParamsSchema.shape.limit });
const listQuerySchema = z.object(autoscalerListParamsSchema.shape);

/**
 * Autoscaling: every call is an autoscaler query (the service defines no commands: create
 * answers 201 with the autoscaler). The calculators and the replay change nothing (viewer);
 * creating and deleting an autoscaler is operator.
 */
@Controller('v1')
export class AutoscalingController {
  constructor(private readonly intake: OperationIntake) {}

  @Post('autoscaling/recommendation')
  @HttpCode(200)
  @RequireRole('viewer')
  @Action('autoscaling.recommendation')
  @ApiRoute({ summary: 'The HorizontalPodAutoscaler algorithm as a pure function: {desiredReplicas, recommendation, limitedBy?, perMetric, conditions, explanation}', tag: TAG, service: SERVICE })
  recommendation(@Body(new ZodBody(recommendationRequestSchema)) body: RecommendationRequest, @Req() req: Request): Promise<RecommendationResponse> {
    return this.intake.ask(req, SERVICE, AUTOSCALER_QUERIES.recommendation, body);
  }

  @Post('autoscaling/proportional')
  @HttpCode(200)
  @RequireRole('viewer')
  @Action('autoscaling.proportional')
  @ApiRoute({ summary: 'cluster-proportional-autoscaler\'s linear or ladder replicas for {nodes, cores}', tag: TAG, service: SERVICE })
  proportional(@Body(new ZodBody(proportionalRequestSchema)) body: ProportionalRequest, @Req() req: Request): Promise<ProportionalResponse> {
    return this.intake.ask(req, SERVICE, AUTOSCALER_QUERIES.proportional, body);
  }

  @Post('autoscalers')
  @HttpCode(201)
  @RequireRole('operator')
  @Action('autoscaler.create')
  @ApiRoute({ summary: 'Create an autoscaler (managed: Bosun\'s loop; native: an autoscaling/v2 HorizontalPodAutoscaler)', tag: TAG, service: SERVICE })
  create(@Body(new ZodBody(autoscalerCreateRequestSchema)) body: AutoscalerCreateRequest, @Req() req: Request): Promise<AutoscalerView> {
    req.auditTarget = { cluster: this.intake.cluster(req), ...body.target };
    return this.intake.ask(req, SERVICE, AUTOSCALER_QUERIES.create, body);
  }

  @Get('autoscalers')
  @RequireRole('viewer')
  @ApiRoute({ summary: 'Autoscalers of the cluster, or of one namespace', tag: TAG, service: SERVICE })
  list(@Query(new ZodQuery(listQuerySchema)) query: z.infer<typeof listQuerySchema>, @Req() req: Request): Promise<AutoscalerListResponse> {
    return this.intake.ask(req, SERVICE, AUTOSCALER_QUERIES.list, query);
  }

  @Get('autoscalers/:id')
  @RequireRole('viewer')
  @ApiRoute({ summary: 'One autoscaler: replicas, metrics, conditions', tag: TAG, service: SERVICE })
  get(@Param(new ZodParams(autoscalerIdSchema)) ref: AutoscalerIdParams, @Req() req: Request): Promise<AutoscalerView> {
    return this.intake.ask(req, SERVICE, AUTOSCALER_QUERIES.get, ref);
  }

  @Delete('autoscalers/:id')
  @RequireRole('operator')
  @Action('autoscaler.delete')
  @ApiRoute({ summary: 'Delete an autoscaler (the target keeps its replica count; a native HPA is deleted): {id, deleted}', tag: TAG, service: SERVICE })
  remove(@Param(new ZodParams(autoscalerIdSchema)) ref: AutoscalerIdParams, @Req() req: Request): Promise<AutoscalerDeleteResult> {
    req.auditTarget = { cluster: this.intake.cluster(req), kind: 'Autoscaler', name: ref.id };
    return this.intake.ask(req, SERVICE, AUTOSCALER_QUERIES.delete, ref);
  }

  @Get('autoscalers/:id/decisions')
  @RequireRole('viewer')
  @ApiRoute({ summary: 'Every evaluation with its inputs, newest first (limit 1-500, default 50)', tag: TAG, service: SERVICE })
  decisions(@Param(new ZodParams(autoscalerIdSchema)) ref: AutoscalerIdParams, @Query(new ZodQuery(decisionsQuerySchema)) query: z.infer<typeof decisionsQuerySchema>, @Req() req: Request): Promise<DecisionsResponse> {
    return this.intake.ask(req, SERVICE, AUTOSCALER_QUERIES.decisions, { ...ref, ...query });
  }

  @Post('autoscalers/:id/simulate')
  @HttpCode(200)
  @RequireRole('viewer')
  @Action('autoscaler.simulate')
  @ApiRoute({ summary: 'The recorded decisions replayed with another configuration: {items: [{at, actual, simulated}]}', tag: TAG, service: SERVICE })
  simulate(@Param(new ZodParams(autoscalerIdSchema)) ref: AutoscalerIdParams, @Body(new ZodBody(simulateRequestSchema, { optional: true })) body: SimulateRequest, @Req() req: Request): Promise<SimulationResponse> {
    return this.intake.ask(req, SERVICE, AUTOSCALER_QUERIES.simulate, { ...ref, ...body }, 15_000);
  }
}
