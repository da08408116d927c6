import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from '@bosun/messaging';
import { STATE_REDIS } from '../tokens';

export interface AuditEntry {
  id: string;
  time: string;
  subject: string;
  via: 'api' | 'chat';
  action: string;
  target?: Record<string, string | undefined>;
  operationId?: string;
  outcome: string;
  status?: number;
}

export interface AuditQuery { subject?: string; action?: string; since?: string; until?: string; limit: number }

const STREAM = 'bosun:audit';

/** An entry as a route or the intake hands it over (the stream gives it its id and time). */
export type AuditRecord = Omit<AuditEntry, 'id' | 'time'>;

/** The XADD arguments of one entry: the one place its format is written (AuditLog, and the intake's transaction). */
export const auditXadd = (entry: AuditRecord): [string, 'MAXLEN', '~', string, '*', 'e', string] =>
  [STREAM, 'MAXLEN', '~', '1000000', '*', 'e', JSON.stringify(entry)];

/**
 * A time as a stream range bound: its millisecond timestamp, never below 0 (a time before
 * 1970 is a valid ISO date, but not a valid stream id: Redis would refuse the range).
 */
export const streamBound = (time: string | undefined, open: '-' | '+'): string => (time ? String(Math.max(0, Date.parse(time))) : open);

/**
 * The audit trail: a Redis stream (AOF-persisted). Stream ids are millisecond
 * timestamps, so `since`/`until` are range bounds rather than scans, and retention
 * (BOSUN_AUDIT_RETENTION_DAYS) is one XTRIM MINID. The length cap on XADD stays as a
 * backstop on memory whatever the rate.
 */
@Injectable()
export class AuditLog {
  constructor(@Inject(STATE_REDIS) private readonly redis: Redis) {}

  async record(entry: AuditRecord): Promise<void> {
    await this.redis.xadd(...auditXadd(entry));
  }

  /** Drops every entry written before `cutoffMs` (exactly: the retention is a promise both ways). Returns how many. */
  async trimBefore(cutoffMs: number): Promise<number> {
    return this.redis.xtrim(STREAM, 'MINID', '=', Math.max(0, Math.floor(cutoffMs)));
  }

  async query(q: AuditQuery): Promise<AuditEntry[]> {
    const end = streamBound(q.until, '+');
    const start = streamBound(q.since, '-');
    const out: AuditEntry[] = [];
    let cursor = end;
    // Newest first; read in pages until the filter has `limit` matches.
    while (out.length < q.limit) {
      const page = await this.redis.xrevrange(STREAM, cursor, start, 'COUNT', 500);
      for (const [id, fields] of page) {
        const e = this.decode(id, fields);
        if (this.matches(e, q)) out.push(e);
        if (out.length >= q.limit) break;
      }
      if (page.length < 500) break;
      cursor = `(${page[page.length - 1][0]}`;
    }
    return out;
  }

  private decode(id: string, fields: string[]): AuditEntry {
    const body = JSON.parse(fields[1]) as Omit<AuditEntry, 'id' | 'time'>;
    return { id, time: new Date(Number(id.split('-')[0])).toISOString(), ...body };
  }

  private matches(e: AuditEntry, q: AuditQuery): boolean {
    if (q.subject && e.subject !== q.subject) return false;
    if (q.action && !(e.action === q.action || (q.action.endsWith('*') && e.action.startsWith(q.action.slice(0, -1))))) return false;
    return true;
  }
}
