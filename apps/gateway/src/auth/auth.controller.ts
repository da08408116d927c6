import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { subjectSchema } from '@bosun/contracts';
import { ROLES } from '@bosun/gateway-domain';
import { Problem } from '../http/problem';
import { ApiRoute } from '../http/api-route.decorator';
import { ZodBody } from '../http/zod-body.pipe';
import { Action, RequireRole } from './auth.decorators';
import { TokenStore } from './token.store';
import type { TokenRecord } from './token.store';

export const createTokenSchema = z.strictObject({
  name: z.string().min(1, 'name is required').max(100),
  subject: subjectSchema,
  groups: z.array(z.string().min(1)).max(50).default([]),
  roles: z.array(z.enum(ROLES, { error: `roles must be some of ${ROLES.join(', ')}` })).min(1, 'at least one role is required'),
  ttlSeconds: z.number().int().min(60, 'ttlSeconds must be at least 60').max(366 * 24 * 3600).optional(),
});

export type CreateTokenRequest = z.infer<typeof createTokenSchema>;

@Controller('v1')
export class AuthController {
  constructor(private readonly tokens: TokenStore) {}

  @Get('whoami')
  @RequireRole('viewer')
  @ApiRoute({ summary: 'The caller: subject, groups, roles', tag: 'identity' })
  whoami(@Req() req: Request): { subject: string; groups: string[]; roles: string[] } {
    const p = req.principal!;
    return { subject: p.subject, groups: p.groups, roles: p.roles };
  }

  @Post('tokens')
  @HttpCode(201)
  @RequireRole('admin')
  @Action('token.create')
  @ApiRoute({ summary: 'Create an API token (shown once): {id, token, expiresAt}', tag: 'identity' })
  async create(@Body(new ZodBody(createTokenSchema)) input: CreateTokenRequest, @Req() req: Request): Promise<{ id: string; token: string; expiresAt: string | null }> {
    const { record, token } = await this.tokens.create({ ...input, createdBy: req.principal!.subject });
    req.auditTarget = { kind: 'Token', name: record.id };
    return { id: record.id, token, expiresAt: record.expiresAt ?? null };
  }

  @Get('tokens')
  @RequireRole('admin')
  @ApiRoute({ summary: 'List tokens (never the secrets)', tag: 'identity' })
  async list(): Promise<{ items: TokenRecord[] }> {
    return { items: await this.tokens.list() };
  }

  @Delete('tokens/:id')
  @HttpCode(204)
  @RequireRole('admin')
  @Action('token.delete')
  @ApiRoute({ summary: 'Revoke a token', tag: 'identity', responses: { 404: 'No such token' } })
  async remove(@Param('id') id: string, @Req() req: Request): Promise<void> {
    req.auditTarget = { kind: 'Token', name: id };
    if (!(await this.tokens.revoke(id))) throw new Problem(404, 'Not Found', `token ${id} does not exist`);
  }
}
