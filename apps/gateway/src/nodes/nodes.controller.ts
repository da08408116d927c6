import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { drainRequestSchema, joinTokenRequestSchema, nodeRefSchema, PROVISIONER_ACTIONS, PROVISIONER_QUERIES } from '@bosun/contracts';
import type { DrainPlan, DrainRequest, JoinTokenRequest, JoinTokenResponse, NodeRef, NodeView, Operation, ProvisionerOperationKind } from '@bosun/contracts';
import { Action, RequireRole } from '../auth/auth.decorators';
import { ApiRoute } from '../http/api-route.decorator';
import { ZodBody, ZodQuery } from '../http/zod-body.pipe';
import { ZodParams } from '../http/zod-params.pipe';
import { OperationIntake } from '../operations/operation-intake';

const SERVICE = 'provisioner';
const TAG = 'nodes';
const drainQuerySchema = z.object({
  dryRun: z.enum(['true', 'false'], { error: 'dryRun must be true or false' }).optional().transform((v) => v === 'true'),
});

/**
 * Nodes: reads are viewer; cordon, uncordon and drain move workloads (operator); a join
 * token lets a machine into the cluster (admin).
 */
@Controller('v1/nodes')
export class NodesController {
  constructor(private readonly intake: OperationIntake) {}

  @Get()
  @RequireRole('viewer')
  @ApiRoute({ summary: 'Nodes: Ready, schedulable (cordoned), roles, version, taints, problems, pods', tag: TAG, service: SERVICE })
  async list(@Req() req: Request): Promise<{ items: NodeView[] }> {
    return { items: await this.intake.ask<NodeView[]>(req, SERVICE, PROVISIONER_QUERIES.nodesList, {}) };
  }

  @Post('join-tokens')
  @HttpCode(201)
  @RequireRole('admin')
  @Action('node.join-token')
  @ApiRoute({ summary: 'A kubeadm bootstrap token (shown once): {token, expiresAt, joinCommand}', tag: TAG, service: SERVICE })
  joinToken(@Body(new ZodBody(joinTokenRequestSchema, { optional: true })) body: JoinTokenRequest, @Req() req: Request): Promise<JoinTokenResponse> {
    req.auditTarget = { cluster: this.intake.cluster(req), namespace: 'kube-system', kind: 'Secret' };
    return this.intake.ask(req, SERVICE, PROVISIONER_QUERIES.joinToken, body, 15_000);
  }

  @Post(':name/cordon')
  @RequireRole('operator')
  @Action('node.cordon')
  @ApiRoute({ summary: 'Cordon: no new pods are scheduled on the node', tag: TAG, service: SERVICE, operation: true, kinds: ['node.cordon'] })
  cordon(@Param(new ZodParams(nodeRefSchema)) ref: NodeRef, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<Operation> {
    return this.op(req, res, 'node.cordon', ref);
  }

  @Post(':name/uncordon')
  @RequireRole('operator')
  @Action('node.uncordon')
  @ApiRoute({ summary: 'Uncordon: the node takes new pods again', tag: TAG, service: SERVICE, operation: true, kinds: ['node.uncordon'] })
  uncordon(@Param(new ZodParams(nodeRefSchema)) ref: NodeRef, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<Operation> {
    return this.op(req, res, 'node.uncordon', ref);
  }

  /** An operation; `?dryRun=true` answers 200 with the plan instead and changes nothing. */
  @Post(':name/drain')
  @RequireRole('operator')
  @Action('node.drain')
  @ApiRoute({
    summary: 'Drain: cordon, then evict through the Eviction API (DaemonSet pods left alone); fails DrainBlocked when budgets hold pods past timeoutSeconds',
    tag: TAG, service: SERVICE, operation: true, asks: true, kinds: ['node.drain'],
    responses: { 200: 'With ?dryRun=true: the plan {evict, skip, refuse, blocked}; nothing changes' },
  })
  async drain(
    @Param(new ZodParams(nodeRefSchema)) ref: NodeRef, @Query(new ZodQuery(drainQuerySchema)) query: z.infer<typeof drainQuerySchema>,
    @Body(new ZodBody(drainRequestSchema, { optional: true })) body: DrainRequest, @Req() req: Request, @Res({ passthrough: true }) res: Response,
  ): Promise<Operation | DrainPlan> {
    if (!query.dryRun) return this.op(req, res, 'node.drain', ref, body);
    req.auditAction = 'node.drain-plan';
    req.auditTarget = { cluster: this.intake.cluster(req), kind: 'Node', name: ref.name };
    const plan = await this.intake.ask<DrainPlan>(req, SERVICE, PROVISIONER_QUERIES.drainPlan, { ...ref, ...body, dryRun: true }, 15_000);
    res.status(200);
    return plan;
  }

  private op(req: Request, res: Response, kind: ProvisionerOperationKind, ref: NodeRef, options: object = {}): Promise<Operation> {
    return this.intake.submit(req, res, { kind, service: SERVICE, action: PROVISIONER_ACTIONS[kind], target: { kind: 'Node', name: ref.name }, payload: { ...ref, ...options }, validate: true });
  }
}
