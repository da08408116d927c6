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
import { PeriodicRound } from './periodic.round';

const LOCK = 'bosun:retention:lock';
const INTERVAL_MS = 60_000;

export interface TrimOutcome { indexEntries: number; auditEntries: number }

/**
 * Bounded state: terminal operations expire on their own (the store sets the expiry when they
 * end); once a minute one gateway replica (PeriodicRound's lock, as the reconciler's) drops the
 * index entries of those that expired and the audit entries older than the audit retention.
 * At boot it backfills the status and kind indexes once (lists scan until that is done).
 */
@Injectable()
export class RetentionTrimmer implements OnModuleInit, OnApplicationShutdown {
  private readonly round: PeriodicRound;

  constructor(
    private readonly store: OperationStore,
    private readonly audit: AuditLog,
    @Inject(STATE_REDIS) redis: Redis,
    @Inject(BOSUN_CONFIG) private readonly config: Pick<BosunConfig, 'instanceId' | 'retention'>,
    @Inject(LOGGER) private readonly logger: BosunLogger,
  ) {
    this.round = new PeriodicRound({ name: 'retention trim', intervalMs: INTERVAL_MS, run: () => this.trimOnce(), logger, lock: { redis, key: LOCK, holder: config.instanceId } });
  }

  onModuleInit(): void {
    this.round.start();
    void this.store.backfillIndexes().then(
      (indexed) => indexed && this.logger.info({ indexed }, 'operations stored before the status and kind indexes were added to them'),
      (err: unknown) => this.logger.warn({ err }, 'index backfill failed; lists scan until it runs again at the next start'),
    );
  }

  onApplicationShutdown(): void {
    this.round.stop();
  }

  /** One round: index entries of expired operations, audit entries past their retention. */
  async trimOnce(now = Date.now()): Promise<TrimOutcome> {
    const indexEntries = await this.store.trimExpired(now);
    const auditEntries = await this.audit.trimBefore(now - this.config.retention.auditSeconds * 1000);
    if (indexEntries || auditEntries) this.logger.info({ indexEntries, auditEntries }, 'trimmed what is past its retention');
    return { indexEntries, auditEntries };
  }
}
