import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { addClusterRequestSchema, CLUSTER_QUERIES } from '@bosun/contracts';
import type { z } from 'zod';
import type { ClusterView } from '@bosun/contracts';
import { Action, RequireRole } from '../auth/auth.decorators';
import { ZodBody } from '../http/zod-body.pipe';
import { ApiRoute } from '../http/api-route.decorator';
import { OperationIntake } from '../operations/operation-intake';

/** Clusters Bosun can act on: the default one from its kubeconfig, more added by admins. */
@Controller('v1/clusters')
export class ClustersController {
  constructor(private readonly intake: OperationIntake) {}

  @Post()
  @HttpCode(201)
  @RequireRole('admin')
  @Action('cluster.add')
  @ApiRoute({ summary: 'Register a cluster (kubeconfig with inline credentials only)', tag: 'clusters', service: 'deployer' })
  add(@Body(new ZodBody(addClusterRequestSchema)) input: z.infer<typeof addClusterRequestSchema>, @Req() req: Request): Promise<ClusterView> {
    req.auditTarget = { kind: 'Cluster', name: input.name };
    return this.intake.ask(req, 'deployer', CLUSTER_QUERIES.add, input);
  }

  @Get()
  @RequireRole('viewer')
  @ApiRoute({ summary: 'Clusters: server, reachability, version, kubectl skew', tag: 'clusters', service: 'deployer' })
  async list(@Req() req: Request): Promise<{ items: ClusterView[] }> {
    return { items: await this.intake.ask<ClusterView[]>(req, 'deployer', CLUSTER_QUERIES.list, {}) };
  }

  @Get(':name')
  @RequireRole('viewer')
  @ApiRoute({ summary: 'One cluster', tag: 'clusters', service: 'deployer' })
  get(@Param('name') name: string, @Req() req: Request): Promise<ClusterView> {
    return this.intake.ask(req, 'deployer', CLUSTER_QUERIES.get, { name });
  }
}
