import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { Action, RequireRole } from '../auth/auth.decorators';
import { Problem } from '../http/problem';
import { ZodBody, ZodQuery } from '../http/zod-body.pipe';
import { ApiRoute } from '../http/api-route.decorator';
import { AuditLog } from './audit.log';
import type { AuditEntry, AuditQuery } from './audit.log';
import { AUDIT_OUTCOME } from './audit.middleware';

// A date-time with its offset, or a date: both in the document as patterns (a refine would not be).
const isoTime = z.union([z.iso.datetime({ offset: true }), z.iso.date()], { error: 'must be an ISO 8601 time (2026-12-01T20:00:00Z or 2026-12-01)' });
const auditQuerySchema = z.object({
  subject: z.string().optional(), action: z.string().optional(), since: isoTime.optional(), until: isoTime.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** What chatops refused on a chat user's behalf, without asking the gateway first (today: a response URL off the allow-list). */
const chatEventSchema = z.strictObject({
  type: z.enum(['response-url.refused']),
  /** Chatops' words; never the URL itself (it may be a capability). */
  reason: z.string().min(1).max(300),
  /** The chat verb the URL came with. */
  verb: z.string().regex(/^[a-z][a-z -]{0,31}$/).optional(),
});
type ChatEvent = z.infer<typeof chatEventSchema>;

@Controller('v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditLog) {}

  @Get()
  @RequireRole('admin')
  @ApiRoute({ summary: 'Audit trail of every mutating request, accepted or refused (subject, action, since, until, limit)', tag: 'identity' })
  async list(@Query(new ZodQuery(auditQuerySchema)) query: AuditQuery): Promise<{ items: AuditEntry[] }> {
    return { items: await this.audit.query(query) };
  }

  /**
   * Recorded like every mutating request (by the audit middleware), as the linked chat user
   * via chat, with the refusal as its outcome. A chat user who is not linked is refused by the
   * guard, and that refusal is recorded as `chat:<platform>:<user>` under the same action.
   */
  @Post('chat-events')
  @HttpCode(204)
  @RequireRole('viewer')
  @Action('chat.response-url.refused')
  @ApiRoute({
    summary: 'Chatops records what it refused for a chat user (a response URL off BOSUN_CHAT_RESPONSE_URLS); only chatops may (the internal token and the chat user headers)',
    tag: 'identity', responses: { 403: 'Not chatops speaking for a linked chat user' },
  })
  chatEvent(@Body(new ZodBody(chatEventSchema)) event: ChatEvent, @Req() req: Request, @Res({ passthrough: true }) res: Response): void {
    if (res.locals.via !== 'chat') throw new Problem(403, 'Forbidden', 'only chatops records chat events (with the internal token, for a chat user)');
    req.auditAction = `chat.${event.type}`;
    req.auditTarget = { kind: 'ResponseUrl', reason: event.reason, ...(event.verb ? { verb: event.verb } : {}) };
    res.locals[AUDIT_OUTCOME] = 'refused';
  }
}
