import { Injectable, Inject } from '@nestjs/common';
import type { NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { BOSUN_CONFIG } from '@bosun/config';
import type { BosunConfig } from '@bosun/config';
import { tokensEqual } from '@bosun/gateway-domain';
import type { BosunLogger } from '@bosun/logging';
import { LOGGER } from '@bosun/service-kit';
import { TokenStore } from '../auth/token.store';
import { ChatIdentityStore } from '../identities/chat-identity.store';
import { AuditLog } from './audit.log';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface Caller { subject: string; via: 'api' | 'chat' }

/** About a minute of retries (250 ms doubling to 5 s). */
const AUDIT_WRITE_ATTEMPTS = 16;
/**
 * Set by a route on `res.locals` when the request's status is not the outcome to record
 * (chatops reporting a refusal of its own is accepted, and what it reports was refused).
 */
export const AUDIT_OUTCOME = 'auditOutcome';
/** Set on `res.locals` to the status already audited by the route itself (the intake, in the operation's own transaction). */
export const AUDITED_WITH_STATUS = 'auditedWithStatus';

/**
 * Records every mutating `/v1` request when its response is sent — accepted or refused
 * (401, 403, 4xx, 5xx alike), so the trail has no gaps. A chat user's request counts as
 * theirs (via `chat`) even when it is refused before it is theirs to make.
 */
@Injectable()
export class AuditMiddleware implements NestMiddleware {
  constructor(
    private readonly audit: AuditLog,
    private readonly tokens: TokenStore,
    private readonly identities: ChatIdentityStore,
    @Inject(BOSUN_CONFIG) private readonly config: BosunConfig,
    @Inject(LOGGER) private readonly logger: BosunLogger,
  ) {}

  use(req: Request, res: Response, next: NextFunction): void {
    if (!MUTATING.has(req.method)) return next();
    res.on('finish', () => void this.write(req, res));
    next();
  }

  private async write(req: Request, res: Response): Promise<void> {
    const status = res.statusCode;
    if (res.locals[AUDITED_WITH_STATUS] === status) return;
    const caller = req.principal ? undefined : await this.callerOf(req);
    const entry = {
      subject: req.principal?.subject ?? caller!.subject,
      via: (res.locals.via as 'api' | 'chat' | undefined) ?? caller?.via ?? 'api',
      action: req.auditAction ?? guessAction(req),
      target: req.auditTarget,
      operationId: res.locals.operationId as string | undefined,
      outcome: (res.locals[AUDIT_OUTCOME] as string | undefined) ?? (status < 400 ? 'accepted' : 'refused'),
      status,
    };
    // The answer is out already: a Redis restart must not lose the entry (the fault campaign
    // found one), so the write is retried for a while before it is given up, loudly.
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.audit.record(entry);
      } catch (e) {
        if (attempt >= AUDIT_WRITE_ATTEMPTS - 1) return this.logger.error({ err: e, entry }, 'audit write failed');
        await new Promise((r) => setTimeout(r, Math.min(250 * 2 ** attempt, 5000)));
      }
    }
  }

  /**
   * Requests refused before or by authentication (malformed or oversize bodies, a chat user
   * who is not linked) still name their caller.
   */
  private async callerOf(req: Request): Promise<Caller> {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!m) return { subject: 'anonymous', via: 'api' };
    const internal = this.config.internalToken;
    if (internal && tokensEqual(m[1], internal)) return this.chatCaller(req);
    const p = await this.tokens.authenticate(m[1]).catch(() => undefined);
    return { subject: p?.subject ?? 'anonymous', via: 'api' };
  }

  /** Chatops, for a chat user: their linked subject, or `chat:<platform>:<user>` when there is none. */
  private async chatCaller(req: Request): Promise<Caller> {
    const platform = String(req.headers['x-bosun-chat-platform'] ?? '').slice(0, 32);
    const user = String(req.headers['x-bosun-chat-user'] ?? '').slice(0, 128);
    if (!platform || !user) return { subject: 'chatops', via: 'chat' };
    const id = await this.identities.get(platform, user).catch(() => undefined);
    return { subject: id?.subject ?? `chat:${platform}:${user}`, via: 'chat' };
  }
}

/** Action name for requests refused before a route ran (malformed body, unknown route). */
function guessAction(req: Request): string {
  const path = req.originalUrl.split('?')[0];
  if (req.method === 'POST' && path === '/v1/deployments') return 'deployment.deploy';
  const m = /^\/v1\/deployments\/[^/]+\/[^/]+\/([a-z-]+)$/.exec(path);
  if (m) return `deployment.${m[1] === 'image' ? 'set-image' : m[1]}`;
  return `${req.method} ${path}`;
}
