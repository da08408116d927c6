import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { credentialsRequestSchema, PROVISIONER_ACTIONS, PROVISIONER_QUERIES, tenantCreateRequestSchema, tenantRefSchema } from '@bosun/contracts';
import type { CredentialsRequest, CredentialsResponse, Operation, TenantCreateRequest, TenantRef, TenantView } from '@bosun/contracts';
import { Action, RequireRole } from '../auth/auth.decorators';
import { ApiRoute } from '../http/api-route.decorator';
import { ZodBody } from '../http/zod-body.pipe';
import { ZodParams } from '../http/zod-params.pipe';
import { OperationIntake } from '../operations/operation-intake';

const SERVICE = 'provisioner';
const TAG = 'tenants';

/**
 * Tenants: a namespace with quota, limits, member bindings and a ServiceAccount. Creating,
 * deleting and minting credentials grant or remove access, so they are admin; reads viewer.
 */
@Controller('v1/tenants')
export class TenantsController {
  constructor(private readonly intake: OperationIntake) {}

  @Post()
  @RequireRole('admin')
  @Action('tenant.create')
  @ApiRoute({ summary: 'Create a tenant: namespace, ResourceQuota, LimitRange, RoleBindings, a ServiceAccount', tag: TAG, service: SERVICE, operation: true, kinds: ['tenant.create'] })
  create(@Body(new ZodBody(tenantCreateRequestSchema)) body: TenantCreateRequest, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<Operation> {
    return this.intake.submit(req, res, { kind: 'tenant.create', service: SERVICE, action: PROVISIONER_ACTIONS['tenant.create'], target: { kind: 'Namespace', name: body.name }, payload: body, validate: true });
  }

  @Get()
  @RequireRole('viewer')
  @ApiRoute({ summary: 'Tenants by name, with quota hard, used and headroom', tag: TAG, service: SERVICE })
  async list(@Req() req: Request): Promise<{ items: TenantView[] }> {
    return { items: await this.intake.ask<TenantView[]>(req, SERVICE, PROVISIONER_QUERIES.tenantsList, {}) };
  }

  @Get(':name')
  @RequireRole('viewer')
  @ApiRoute({ summary: 'One tenant: quota hard, used and headroom, members', tag: TAG, service: SERVICE })
  get(@Param(new ZodParams(tenantRefSchema)) ref: TenantRef, @Req() req: Request): Promise<TenantView> {
    return this.intake.ask(req, SERVICE, PROVISIONER_QUERIES.tenantsGet, ref);
  }

  @Delete(':name')
  @RequireRole('admin')
  @Action('tenant.delete')
  @ApiRoute({ summary: 'Delete a tenant (its namespace and everything in it); ends when the namespace is gone', tag: TAG, service: SERVICE, operation: true, kinds: ['tenant.delete'] })
  remove(@Param(new ZodParams(tenantRefSchema)) ref: TenantRef, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<Operation> {
    return this.intake.submit(req, res, { kind: 'tenant.delete', service: SERVICE, action: PROVISIONER_ACTIONS['tenant.delete'], target: { kind: 'Namespace', name: ref.name }, payload: ref, validate: true });
  }

  @Post(':name/credentials')
  @HttpCode(201)
  @RequireRole('admin')
  @Action('tenant.credentials')
  @ApiRoute({ summary: 'Mint a kubeconfig for the tenant\'s ServiceAccount (shown once): {kubeconfig, expiresAt}', tag: TAG, service: SERVICE })
  credentials(@Param(new ZodParams(tenantRefSchema)) ref: TenantRef, @Body(new ZodBody(credentialsRequestSchema)) body: CredentialsRequest, @Req() req: Request): Promise<CredentialsResponse> {
    req.auditTarget = { cluster: this.intake.cluster(req), namespace: ref.name, kind: 'ServiceAccount', name: `bosun-${body.role ?? 'edit'}` };
    return this.intake.ask(req, SERVICE, PROVISIONER_QUERIES.credentials, { ...ref, ...body }, 15_000);
  }
}
