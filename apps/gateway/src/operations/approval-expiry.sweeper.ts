import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { BOSUN_CONFIG } from '@bosun/config';
import type { BosunConfig } from '@bosun/config';
import type { BosunLogger } from '@bosun/logging';
import { LOGGER } from '@bosun/service-kit';
import { OperationStore } from './operation.store';
import { OperationsService } from './operations.service';
import { PeriodicRound } from './periodic.round';

/** Operations nobody decided on within the approval TTL end `rejected` with ApprovalExpired. */
@Injectable()
export class ApprovalExpirySweeper implements OnModuleInit, OnApplicationShutdown {
  private readonly round: PeriodicRound;
  constructor(
    private readonly store: OperationStore,
    private readonly operations: OperationsService,
    @Inject(BOSUN_CONFIG) private readonly config: BosunConfig,
    @Inject(LOGGER) logger: BosunLogger,
  ) {
    this.round = new PeriodicRound({ name: 'approval expiry', intervalMs: 1000, run: () => this.sweep(), logger });
  }

  onModuleInit(): void {
    this.round.start();
  }

  onApplicationShutdown(): void {
    this.round.stop();
  }

  async sweep(): Promise<void> {
    const ttl = this.config.approvalTtlSeconds;
    for (const id of await this.store.awaitingSince(Date.now() - ttl * 1000)) {
      const at = new Date().toISOString();
      await this.operations.change(id, { type: 'rejected', at, error: { code: 'ApprovalExpired', message: `no approver decided within ${ttl} s; the operation was not run` } });
    }
  }
}
