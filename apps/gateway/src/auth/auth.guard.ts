import { Inject, Injectable } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { BOSUN_CONFIG } from '@bosun/config';
import type { BosunConfig } from '@bosun/config';
import { allows, tokensEqual } from '@bosun/gateway-domain';
import type { Role } from '@bosun/gateway-domain';
import { Problem } from '../http/problem';
import type { Answers } from '../http/problem';
import { ChatIdentityStore } from '../identities/chat-identity.store';
import type { Principal } from './principal';
import { ACTION_KEY, PUBLIC_KEY, ROLE_KEY } from './auth.decorators';
import { RateLimiter } from './rate.limiter';
import { TokenStore } from './token.store';

/** What the guard answers on every route that is not `@Public()`. */
export const GUARD_ANSWERS: Answers = {
  400: 'The internal (chatops) token without X-Bosun-Chat-Platform and X-Bosun-Chat-User',
  401: 'Missing, unknown or expired bearer token',
  403: 'The token lacks the role (or the chat user is not linked); the role is x-bosun-role',
};

/** Bearer authentication, role check and a per-subject rate limit on every `/v1` route. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenStore,
    private readonly identities: ChatIdentityStore,
    private readonly limiter: RateLimiter,
    @Inject(BOSUN_CONFIG) private readonly config: BosunConfig,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    const req = ctx.switchToHttp().getRequest<Request>();
    req.auditAction = this.reflector.getAllAndOverride<string>(ACTION_KEY, targets) ?? req.auditAction;
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new Problem(401, 'Unauthorized', 'missing bearer token: send Authorization: Bearer <token>');
    const principal = (await this.chatPrincipal(match[1], req)) ?? (await this.tokens.authenticate(match[1]));
    if (!principal) throw new Problem(401, 'Unauthorized', 'unknown or expired token');
    req.principal = principal;
    const required = this.reflector.getAllAndOverride<Role>(ROLE_KEY, targets) ?? 'admin';
    if (!allows(principal.roles, required)) {
      throw new Problem(403, 'Forbidden', `${principal.subject} needs the ${required} role for this request (has: ${principal.roles.join(', ') || 'none'})`);
    }
    await this.limiter.take(principal.tokenId ?? principal.subject);
    return true;
  }

  /**
   * Chatops calls with the internal token and names the chat user; the request then runs
   * as the subject linked to that user (never as chatops itself).
   */
  private async chatPrincipal(token: string, req: Request): Promise<Principal | undefined> {
    const internal = this.config.internalToken;
    if (!internal || !tokensEqual(token, internal)) return undefined;
    const platform = String(req.headers['x-bosun-chat-platform'] ?? '');
    const user = String(req.headers['x-bosun-chat-user'] ?? '');
    if (!platform || !user) throw new Problem(400, 'Bad Request', 'the internal token needs X-Bosun-Chat-Platform and X-Bosun-Chat-User');
    const id = await this.identities.get(platform, user);
    if (!id) throw new Problem(403, 'Forbidden', `${platform} user ${user} is not linked to a Bosun identity; an admin links it with PUT /v1/chat-identities/${platform}/${user}`, undefined, 'ChatIdentityNotLinked');
    req.res!.locals.via = 'chat';
    return { subject: id.subject, groups: id.groups, roles: id.roles, tokenId: `chat:${platform}:${user}` };
  }
}
