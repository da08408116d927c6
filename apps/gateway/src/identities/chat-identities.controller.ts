import { Body, Controller, Get, Param, Put, Req } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { subjectSchema } from '@bosun/contracts';
import { ROLES } from '@bosun/gateway-domain';
import { Action, RequireRole } from '../auth/auth.decorators';
import { Problem } from '../http/problem';
import { ApiRoute } from '../http/api-route.decorator';
import { ZodBody } from '../http/zod-body.pipe';
import { ChatIdentityStore } from './chat-identity.store';
import type { ChatIdentity } from './chat-identity.store';

const identitySchema = z.strictObject({
  subject: subjectSchema,
  groups: z.array(z.string().min(1)).max(50).default([]),
  // Bosun roles of the chat user; Kubernetes RBAC (impersonation) still decides every cluster change.
  roles: z.array(z.enum(ROLES)).min(1).default(['operator']),
});
const PLATFORMS = ['slack', 'webhook'];

/** Links chat users to Bosun subjects; chat commands run as the linked subject. */
@Controller('v1/chat-identities')
export class ChatIdentitiesController {
  constructor(private readonly identities: ChatIdentityStore) {}

  @Put(':platform/:userId')
  @RequireRole('admin')
  @Action('chat-identity.link')
  @ApiRoute({ summary: 'Link a chat user to a subject (chat commands then run as that subject)', tag: 'identity', params: { platform: z.enum(PLATFORMS), userId: z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/) } })
  async link(@Param('platform') platform: string, @Param('userId') userId: string, @Body(new ZodBody(identitySchema)) identity: ChatIdentity, @Req() req: Request): Promise<{ platform: string; userId: string } & ChatIdentity> {
    req.auditTarget = { kind: 'ChatIdentity', name: `${platform}/${userId}` };
    if (!PLATFORMS.includes(platform)) throw Problem.invalid([{ path: 'platform', message: `must be one of ${PLATFORMS.join(', ')}` }]);
    if (!/^[A-Za-z0-9._@-]{1,64}$/.test(userId)) throw Problem.invalid([{ path: 'userId', message: 'must be 1-64 letters, digits, . _ @ -' }]);
    await this.identities.link(platform, userId, identity);
    return { platform, userId, ...identity };
  }

  @Get(':platform/:userId')
  @RequireRole('admin')
  @ApiRoute({ summary: 'The subject a chat user is linked to', tag: 'identity', params: { platform: z.enum(PLATFORMS) }, responses: { 404: 'The chat user is not linked' } })
  async get(@Param('platform') platform: string, @Param('userId') userId: string): Promise<ChatIdentity> {
    const id = await this.identities.get(platform, userId);
    if (!id) throw new Problem(404, 'Not Found', `${platform} user ${userId} is not linked`);
    return id;
  }
}
