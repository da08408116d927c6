import { Injectable, Inject } from '@nestjs/common';
import type { NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { BosunLogger } from '@bosun/logging';
import { LOGGER } from '@bosun/service-kit';
import { AuditLog } from './audit.log';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Records every mutating `/v1` request when its response is sent — accepted or refused
 * (401, 403, 4xx, 5xx alike), so the trail has no gaps.
 */
@Injectable()
export class AuditMiddleware implements NestMiddleware {
  constructor(private readonly audit: AuditLog, @Inject(LOGGER) private readonly logger: BosunLogger) {}

  use(req: Request, res: Response, next: NextFunction): void {
    if (!MUTATING.has(req.method)) return next();
    res.on('finish', () => {
      const status = res.statusCode;
      const entry = {
        subject: req.principal?.subject ?? 'anonymous',
        via: (res.locals.via as 'api' | 'chat') ?? 'api',
        action: req.auditAction ?? guessAction(req),
        target: req.auditTarget,
        operationId: res.locals.operationId as string | undefined,
        outcome: status < 400 ? 'accepted' : 'refused',
        status,
      };
      this.audit.record(entry).catch((e) => this.logger.error({ err: e, entry }, 'audit write failed'));
    });
    next();
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
