import { Body, Controller, Delete, Get, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import {
  DEPLOYER_QUERIES, deployRequestSchema, dnsLabel, imageResolveRequestSchema, rollbackRequestSchema, setImageRequestSchema,
} from '@bosun/contracts';
import type { DeploymentView, DeployRequest, Diagnosis, HistoryItem, Operation, ResolvedImage } from '@bosun/contracts';
import { validateDeployRequest } from '@bosun/deploy-rules';
import { Action, RequireRole } from '../auth/auth.decorators';
import { Problem } from '../http/problem';
import { ApiRoute } from '../http/api-route.decorator';
import { ZodBody, ZodQuery } from '../http/zod-body.pipe';
import { OperationIntake } from '../operations/operation-intake';
import { DeployEnvSealer } from './deploy-env.sealer';

const scaleRequestSchema = z.strictObject({ replicas: z.number().int().min(0, 'replicas must be 0 or more').max(10000) });
const refSchema = z.object({ namespace: dnsLabel('namespace'), name: dnsLabel('name') });
const listSchema = z.object({ namespace: dnsLabel('namespace').optional(), cluster: z.string().optional() });
type SetImageRequest = z.infer<typeof setImageRequestSchema>;
type RollbackRequest = z.infer<typeof rollbackRequestSchema>;
type ScaleRequest = z.infer<typeof scaleRequestSchema>;

/** Deployments: thin HTTP adapters onto deployer commands (operations) and queries. */
@Controller('v1')
export class DeploymentsController {
  constructor(private readonly intake: OperationIntake, private readonly sealer: DeployEnvSealer) {}

  @Post('deployments')
  @RequireRole('operator')
  @Action('deployment.deploy')
  @ApiRoute({ summary: 'Deploy (server-side apply, tracked to the end of the rollout)', tag: 'deployments', service: 'deployer', operation: true, kinds: ['deployment.deploy'] })
  deploy(@Body(new ZodBody(deployRequestSchema)) payload: DeployRequest, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<Operation> {
    // A deploy needs no cluster read to be judged: the shared rules answer here, with the same
    // 422 the deployer would give, and no validate query sits on the intake's path.
    const errors = validateDeployRequest(payload);
    if (errors.length > 0) throw Problem.invalid(errors);
    // Sealed before anything leaves this process.
    return this.op(req, res, 'deployment.deploy', 'deploy', payload, this.sealer.seal(payload, this.intake.cluster(req)), false);
  }

  @Put('deployments/:ns/:name/image')
  @RequireRole('operator')
  @Action('deployment.set-image')
  @ApiRoute({ summary: 'Set the image', tag: 'deployments', service: 'deployer', operation: true, kinds: ['deployment.set-image'], params: { ns: dnsLabel('namespace'), name: dnsLabel('name') } })
  setImage(@Param('ns') ns: string, @Param('name') name: string, @Body(new ZodBody(setImageRequestSchema)) body: SetImageRequest, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<Operation> {
    const ref = this.ref(ns, name);
    return this.op(req, res, 'deployment.set-image', 'set-image', ref, { ...ref, ...body });
  }

  @Post('deployments/:ns/:name/rollback')
  @RequireRole('operator')
  @Action('deployment.rollback')
  @ApiRoute({ summary: 'Roll back (previous revision by default; an unknown revision is a 422)', tag: 'deployments', service: 'deployer', operation: true, kinds: ['deployment.rollback'], params: { ns: dnsLabel('namespace'), name: dnsLabel('name') } })
  rollback(@Param('ns') ns: string, @Param('name') name: string, @Body(new ZodBody(rollbackRequestSchema, { optional: true })) body: RollbackRequest, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<Operation> {
    const ref = this.ref(ns, name);
    return this.op(req, res, 'deployment.rollback', 'rollback', ref, { ...ref, ...body });
  }

  @Post('deployments/:ns/:name/scale')
  @RequireRole('operator')
  @Action('deployment.scale')
  @ApiRoute({ summary: 'Scale to N replicas', tag: 'deployments', service: 'deployer', operation: true, kinds: ['deployment.scale'], params: { ns: dnsLabel('namespace'), name: dnsLabel('name') } })
  scale(@Param('ns') ns: string, @Param('name') name: string, @Body(new ZodBody(scaleRequestSchema)) body: ScaleRequest, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<Operation> {
    const ref = this.ref(ns, name);
    return this.op(req, res, 'deployment.scale', 'scale', ref, { ...ref, ...body });
  }

  @Post('deployments/:ns/:name/:verb')
  @RequireRole('operator')
  @ApiRoute({ summary: 'Pause or resume the rollout, or restart (a new revision)', tag: 'deployments', service: 'deployer', operation: true, kinds: ['deployment.pause', 'deployment.resume', 'deployment.restart'], params: { ns: dnsLabel('namespace'), name: dnsLabel('name'), verb: z.enum(['pause', 'resume', 'restart']) } })
  lifecycle(@Param('ns') ns: string, @Param('name') name: string, @Param('verb') verb: string, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<Operation> {
    if (!['pause', 'resume', 'restart'].includes(verb)) throw new Problem(404, 'Not Found', `no such action: ${verb} (pause, resume, restart, rollback, scale)`);
    const ref = this.ref(ns, name);
    return this.op(req, res, `deployment.${verb}`, verb, ref, ref);
  }

  @Delete('deployments/:ns/:name')
  @RequireRole('operator')
  @Action('deployment.delete')
  @ApiRoute({ summary: 'Delete', tag: 'deployments', service: 'deployer', operation: true, kinds: ['deployment.delete'], params: { ns: dnsLabel('namespace'), name: dnsLabel('name') } })
  remove(@Param('ns') ns: string, @Param('name') name: string, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<Operation> {
    const ref = this.ref(ns, name);
    // Deleting needs only a well-formed reference (a missing Deployment is the operation's NotFound).
    return this.op(req, res, 'deployment.delete', 'delete', ref, ref, false);
  }

  @Get('deployments')
  @RequireRole('viewer')
  @ApiRoute({ summary: 'List deployments', tag: 'deployments', service: 'deployer' })
  async list(@Query(new ZodQuery(listSchema)) { namespace }: z.infer<typeof listSchema>, @Req() req: Request): Promise<{ items: DeploymentView[] }> {
    return { items: await this.intake.ask<DeploymentView[]>(req, 'deployer', DEPLOYER_QUERIES.list, { namespace }) };
  }

  @Get('deployments/:ns/:name')
  @RequireRole('viewer')
  @ApiRoute({ summary: 'Deployment status and rollout state', tag: 'deployments', service: 'deployer', params: { ns: dnsLabel('namespace'), name: dnsLabel('name') } })
  get(@Param('ns') ns: string, @Param('name') name: string, @Req() req: Request): Promise<DeploymentView> {
    return this.intake.ask(req, 'deployer', DEPLOYER_QUERIES.get, this.ref(ns, name));
  }

  @Get('deployments/:ns/:name/history')
  @RequireRole('viewer')
  @ApiRoute({ summary: 'Revision history, oldest first', tag: 'deployments', service: 'deployer', params: { ns: dnsLabel('namespace'), name: dnsLabel('name') } })
  history(@Param('ns') ns: string, @Param('name') name: string, @Req() req: Request): Promise<{ items: HistoryItem[] }> {
    return this.intake.ask(req, 'deployer', DEPLOYER_QUERIES.history, this.ref(ns, name));
  }

  @Get('deployments/:ns/:name/diagnosis')
  @RequireRole('viewer')
  @ApiRoute({ summary: 'Why the deployment is unhealthy: {healthy, findings: [{code, pod?, container?, message, hint}]}', tag: 'deployments', service: 'deployer', params: { ns: dnsLabel('namespace'), name: dnsLabel('name') } })
  diagnosis(@Param('ns') ns: string, @Param('name') name: string, @Req() req: Request): Promise<Diagnosis> {
    return this.intake.ask(req, 'deployer', DEPLOYER_QUERIES.diagnosis, this.ref(ns, name), 15_000);
  }

  @Post('images/resolve')
  @RequireRole('viewer')
  @ApiRoute({ summary: 'Parse and normalise an image reference', tag: 'deployments', service: 'deployer', status: 200 })
  resolve(@Body(new ZodBody(imageResolveRequestSchema)) body: z.infer<typeof imageResolveRequestSchema>, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<ResolvedImage> {
    res.status(200);
    req.auditAction = 'image.resolve';
    return this.intake.ask(req, 'deployer', DEPLOYER_QUERIES.resolveImage, body);
  }

  private ref(namespace: string, name: string): { namespace: string; name: string } {
    const r = refSchema.safeParse({ namespace, name });
    if (!r.success) throw Problem.fromZod(r.error);
    return r.data;
  }

  /** `validate`: ask the deployer first, for the actions whose answer needs the live Deployment. */
  private op(req: Request, res: Response, kind: string, action: string, ref: { namespace: string; name: string }, payload: unknown, validate = true): Promise<Operation> {
    return this.intake.submit(req, res, { kind, service: 'deployer', action, target: { namespace: ref.namespace, kind: 'Deployment', name: ref.name }, payload, validate });
  }
}
