import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { BOSUN_CONFIG } from '@bosun/config';
import type { BosunConfig } from '@bosun/config';
import type { BosunLogger } from '@bosun/logging';
import type { Redis } from '@bosun/messaging';
import { LOGGER } from '@bosun/service-kit';
import { AuditLog } from '../audit/audit.log';
import { STATE_REDIS } from '../tokens';
import { OperationStore } from './operation.store';

const LOCK = 'bosun:retention:lock';
const INTERVAL_MS = 60_000;

export interface TrimOutcome { indexEntries: number; auditEntries: number }

/**
 * Bounded state: terminal operations expire on their own (the store sets the expiry when they
 * end); once a minute one gateway replica (a short Redis lock, as the reconciler's) drops the
 * index entries of those that expired and the audit entries older than the audit retention.
 * At boot it backfills the status and kind indexes once (lists scan until that is done).
 */
@Injectable()
export class RetentionTrimmer implements OnModuleInit, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private busy = false;

  constructor(
    private readonly store: OperationStore,
    private readonly audit: AuditLog,
    @Inject(STATE_REDIS) private readonly redis: Redis,
    @Inject(BOSUN_CONFIG) private readonly config: Pick<BosunConfig, 'instanceId' | 'retention'>,
    @Inject(LOGGER) private readonly logger: BosunLogger,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.tick(), INTERVAL_MS);
    this.timer.unref();
    void this.store.backfillIndexes().then(
      (indexed) => indexed && this.logger.info({ indexed }, 'operations stored before the status and kind indexes were added to them'),
      (err: unknown) => this.logger.warn({ err }, 'index backfill failed; lists scan until it runs again at the next start'),
    );
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      // Held until it expires, not released: the other replicas skip this round.
      if (await this.redis.set(LOCK, this.config.instanceId, 'PX', Math.floor(INTERVAL_MS * 0.9), 'NX')) await this.trimOnce();
    } catch (e) {
      this.logger.warn({ err: e }, 'retention trim failed; the next round retries');
    } finally {
      this.busy = false;
    }
  }

  /** One round: index entries of expired operations, audit entries past their retention. */
  async trimOnce(now = Date.now()): Promise<TrimOutcome> {
    const indexEntries = await this.store.trimExpired(now);
    const auditEntries = await this.audit.trimBefore(now - this.config.retention.auditSeconds * 1000);
    if (indexEntries || auditEntries) this.logger.info({ indexEntries, auditEntries }, 'trimmed what is past its retention');
    return { indexEntries, auditEntries };
  }
}
