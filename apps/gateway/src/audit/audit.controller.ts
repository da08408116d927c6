import { Controller, Get, Query } from '@nestjs/common';
import { z } from 'zod';
import { RequireRole } from '../auth/auth.decorators';
import { ZodQuery } from '../http/zod-body.pipe';
import { ApiRoute } from '../http/api-route.decorator';
import { AuditLog } from './audit.log';
import type { AuditEntry, AuditQuery } from './audit.log';

// A date-time with its offset, or a date: both in the document as patterns (a refine would not be).
const isoTime = z.union([z.iso.datetime({ offset: true }), z.iso.date()], { error: 'must be an ISO 8601 time (2026-12-01T20:00:00Z or 2026-12-01)' });
const auditQuerySchema = z.object({
  subject: z.string().optional(), action: z.string().optional(), since: isoTime.optional(), until: isoTime.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

@Controller('v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditLog) {}

  @Get()
  @RequireRole('admin')
  @ApiRoute({ summary: 'Audit trail of every mutating request, accepted or refused (subject, action, since, until, limit)', tag: 'identity' })
  async list(@Query(new ZodQuery(auditQuerySchema)) query: AuditQuery): Promise<{ items: AuditEntry[] }> {
    return { items: await this.audit.query(query) };
  }
}
