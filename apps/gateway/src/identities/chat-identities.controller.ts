import { Body, Controller, Get, Inject, Param, Put, Req } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { subjectSchema } from '@bosun/contracts';
import { ROLES } from '@bosun/gateway-domain';
import type { Redis } from '@bosun/messaging';
import { Action, RequireRole } from '../auth/auth.decorators';
import { Problem } from '../http/problem';
import { parseBody } from '../http/validate';
import { STATE_REDIS } from '../tokens';

const identitySchema = z.strictObject({
  subject: subjectSchema,
  groups: z.array(z.string().min(1)).max(50).default([]),
  // Bosun roles of the chat user; Kubernetes RBAC (impersonation) still decides every cluster change.
  roles: z.array(z.enum(ROLES)).min(1).default(['operator']),
});
const PLATFORMS = ['slack', 'webhook'];
export const chatIdentityKey = (platform: string, userId: string): string => `bosun:chat-identity:${platform}:${userId}`;

/** Links chat users to Bosun subjects; chat commands run as the linked subject. */
@Controller('v1/chat-identities')
export class ChatIdentitiesController {
  constructor(@Inject(STATE_REDIS) private readonly redis: Redis) {}

  @Put(':platform/:userId')
  @RequireRole('admin')
  @Action('chat-identity.link')
  async link(@Param('platform') platform: string, @Param('userId') userId: string, @Body() body: unknown, @Req() req: Request): Promise<{ platform: string; userId: string; subject: string; groups: string[]; roles: string[] }> {
    req.auditTarget = { kind: 'ChatIdentity', name: `${platform}/${userId}` };
    if (!PLATFORMS.includes(platform)) throw Problem.invalid([{ path: 'platform', message: `must be one of ${PLATFORMS.join(', ')}` }]);
    if (!/^[A-Za-z0-9._@-]{1,64}$/.test(userId)) throw Problem.invalid([{ path: 'userId', message: 'must be 1-64 letters, digits, . _ @ -' }]);
    const identity = parseBody(identitySchema, body);
    await this.redis.set(chatIdentityKey(platform, userId), JSON.stringify(identity));
    return { platform, userId, ...identity };
  }

  @Get(':platform/:userId')
  @RequireRole('admin')
  async get(@Param('platform') platform: string, @Param('userId') userId: string): Promise<{ subject: string; groups: string[]; roles: string[] }> {
    const raw = await this.redis.get(chatIdentityKey(platform, userId));
    if (!raw) throw new Problem(404, 'Not Found', `${platform} user ${userId} is not linked`);
    return JSON.parse(raw);
  }
}
