import { Injectable, Inject } from '@nestjs/common';
import type { NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { BosunLogger } from '@bosun/logging';
import { LOGGER } from '@bosun/service-kit';
import { TokenStore } from '../auth/token.store';
import { AuditLog } from './audit.log';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Records every mutating `/v1` request when its response is sent — accepted or refused
 * (401, 403, 4xx, 5xx alike), so the trail has no gaps.
 */
@Injectable()
export class AuditMiddleware implements NestMiddleware {
  constructor(private readonly audit: AuditLog, private readonly tokens: TokenStore, @Inject(LOGGER) private readonly logger: BosunLogger) {}

  use(req: Request, res: Response, next: NextFunction): void {
    if (!MUTATING.has(req.method)) return next();
    res.on('finish', () => void this.write(req, res));
    next();
  }

  private async write(req: Request, res: Response): Promise<void> {
    const status = res.statusCode;
    const entry = {
      subject: req.principal?.subject ?? (await this.callerOf(req)),
      via: (res.locals.via as 'api' | 'chat') ?? 'api',
      action: req.auditAction ?? guessAction(req),
      target: req.auditTarget,
      operationId: res.locals.operationId as string | undefined,
      outcome: status < 400 ? 'accepted' : 'refused',
      status,
    };
    await this.audit.record(entry).catch((e) => this.logger.error({ err: e, entry }, 'audit write failed'));
  }

  /** Requests refused before authentication ran (malformed or oversize bodies) still name their caller. */
  private async callerOf(req: Request): Promise<string> {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!m) return 'anonymous';
    const p = await this.tokens.authenticate(m[1]).catch(() => undefined);
    return p?.subject ?? 'anonymous';
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
