import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { isTerminal, OPERATION_STATUSES, operationChangedSubject } from '@bosun/contracts';
import type { Operation } from '@bosun/contracts';
import { decodeJson } from '@bosun/messaging';
import type { NatsConnection } from '@bosun/messaging';
import { NATS } from '@bosun/service-kit';
import { Problem } from '../http/problem';
import { Action, RequireRole } from '../auth/auth.decorators';
import { ZodBody, ZodQuery } from '../http/zod-body.pipe';
import { ApiRoute } from '../http/api-route.decorator';
import { ApprovalPolicyStore } from './approval-policy.store';
import { OperationStore } from './operation.store';
import { OperationsService } from './operations.service';

const listQuerySchema = z.object({
  status: z.enum(OPERATION_STATUSES).optional(),
  kind: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
const decisionSchema = z.strictObject({ reason: z.string().max(500).optional() });
const policySchema = z.strictObject({
  rules: z.array(z.strictObject({
    namespaces: z.array(z.string().min(1)).min(1, 'at least one namespace pattern'),
    actions: z.array(z.string().min(1)).min(1, 'at least one action pattern'),
    approvals: z.number().int().min(1).max(1, 'approvals beyond 1 are not supported yet (the requester plus one approver)'),
  })).max(200),
});

type DecisionRequest = z.infer<typeof decisionSchema>;

/** What OperationsService.submit makes: `op_` and hex. */
const OPERATION_ID = /^op_[0-9a-f]+$/;

@Controller('v1')
export class OperationsController {
  constructor(
    private readonly operations: OperationsService,
    private readonly store: OperationStore,
    private readonly policies: ApprovalPolicyStore,
    @Inject(NATS) private readonly nc: NatsConnection,
  ) {}

  @Get('operations')
  @RequireRole('viewer')
  @ApiRoute({ summary: 'List operations (status, kind, limit)', tag: 'operations' })
  async list(@Query(new ZodQuery(listQuerySchema)) query: z.infer<typeof listQuerySchema>): Promise<{ items: Operation[] }> {
    return { items: await this.store.list(query) };
  }

  @Get('operations/:id')
  @RequireRole('viewer')
  @ApiRoute({ summary: 'One operation', tag: 'operations', responses: { 404: 'No such operation' } })
  get(@Param('id') id: string): Promise<Operation> {
    return this.operations.get(id);
  }

  /** Server-Sent Events: the current state, then one event per change; ends after the terminal state. */
  @Get('operations/:id/events')
  @RequireRole('viewer')
  @ApiRoute({ summary: 'Server-Sent Events: the current state, then one event per change; ends after the terminal state', tag: 'operations', produces: 'text/event-stream', responses: { 404: 'No such operation' } })
  async events(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    // Not an operation id: no such operation (and not a NATS subject to subscribe to; schemathesis found the 500).
    if (!OPERATION_ID.test(id)) throw new Problem(404, 'Not Found', `operation ${id} does not exist`);
    const sub = this.nc.subscribe(operationChangedSubject(id));
    try {
      const current = await this.operations.get(id);
      res.status(200).set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
      res.flushHeaders();
      let last = current.updatedAt + current.status;
      const send = (op: Operation): void => void res.write(`id: ${op.updatedAt}\nevent: operation\ndata: ${JSON.stringify(op)}\n\n`);
      send(current);
      if (isTerminal(current.status)) return void res.end();
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
      req.on('close', () => { clearInterval(heartbeat); sub.unsubscribe(); });
      for await (const m of sub) {
        const op = decodeJson(m.data) as Operation;
        if (op.updatedAt + op.status + JSON.stringify(op.progress) === last) continue;
        last = op.updatedAt + op.status + JSON.stringify(op.progress);
        send(op);
        if (isTerminal(op.status)) break;
      }
      clearInterval(heartbeat);
      res.end();
    } finally {
      sub.unsubscribe();
    }
  }

  @Post('operations/:id/approve')
  @HttpCode(200)
  @RequireRole('approver')
  @Action('operation.approve')
  @ApiRoute({ summary: 'Approve (not your own operation: 403)', tag: 'operations', responses: { 404: 'No such operation', 409: 'Not awaiting approval' } })
  approve(@Param('id') id: string, @Body(new ZodBody(decisionSchema, { optional: true })) _body: DecisionRequest, @Req() req: Request): Promise<Operation> {
    req.auditTarget = { kind: 'Operation', name: id };
    return this.operations.decide(id, req.principal!, 'approve');
  }

  @Post('operations/:id/reject')
  @HttpCode(200)
  @RequireRole('approver')
  @Action('operation.reject')
  @ApiRoute({ summary: 'Reject', tag: 'operations', responses: { 404: 'No such operation', 409: 'Not awaiting approval' } })
  reject(@Param('id') id: string, @Body(new ZodBody(decisionSchema, { optional: true })) body: DecisionRequest, @Req() req: Request): Promise<Operation> {
    req.auditTarget = { kind: 'Operation', name: id };
    return this.operations.decide(id, req.principal!, 'reject', body.reason);
  }

  @Post('operations/:id/cancel')
  @HttpCode(200)
  @RequireRole('operator')
  @Action('operation.cancel')
  @ApiRoute({ summary: 'Cancel ({reason?}); after the service began changing the cluster: cancelled with CancelledAfterChange, the change stays', tag: 'operations', responses: { 404: 'No such operation', 409: 'Already in a terminal state' } })
  cancel(@Param('id') id: string, @Body(new ZodBody(decisionSchema, { optional: true })) body: DecisionRequest, @Req() req: Request): Promise<Operation> {
    req.auditTarget = { kind: 'Operation', name: id };
    return this.operations.cancel(id, req.principal!, body.reason);
  }

  @Put('policies/approvals')
  @RequireRole('admin')
  @Action('policy.approvals.update')
  @ApiRoute({ summary: 'Approval rules: matching operations wait in awaiting_approval', tag: 'operations' })
  async putPolicy(@Body(new ZodBody(policySchema)) { rules }: z.infer<typeof policySchema>): Promise<{ rules: unknown[] }> {
    await this.policies.put(rules);
    return { rules };
  }

  @Get('policies/approvals')
  @RequireRole('viewer')
  @ApiRoute({ summary: 'The approval rules', tag: 'operations' })
  async getPolicy(): Promise<{ rules: unknown[] }> {
    return { rules: await this.policies.get() };
  }
}
