import { Inject, Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { BOSUN_CONFIG } from '@bosun/config';
import type { BosunConfig } from '@bosun/config';
import type { Redis } from '@bosun/messaging';
import { HealthRegistry } from '@bosun/service-kit';
import { CHAT_REDIS } from '../tokens';

/** Without the replay store no signed request can be admitted. */
export const REQUIRED_COMPONENTS = ['replay-store'];

@Injectable()
export class HealthProbes implements OnModuleInit {
  constructor(
    private readonly health: HealthRegistry,
    @Inject(CHAT_REDIS) private readonly redis: Redis,
    @Inject(BOSUN_CONFIG) private readonly config: BosunConfig,
  ) {}

  onModuleInit(): void {
    this.health.register('replay-store', () => (this.redis.status === 'ready' ? { ok: true } : { ok: false, detail: `redis ${this.redis.status}` }));
    this.health.register('gateway', () => this.gateway());
  }

  private async gateway(): Promise<{ ok: boolean; detail?: string }> {
    try {
      const res = await fetch(`${this.config.gatewayUrl.replace(/\/+$/, '')}/healthz`, { signal: AbortSignal.timeout(1000), redirect: 'manual' });
      await res.arrayBuffer();
      return res.ok ? { ok: true } : { ok: false, detail: `gateway /healthz answered ${res.status}` };
    } catch (e) {
      const err = e as { cause?: { code?: string }; message?: string };
      return { ok: false, detail: `gateway unreachable (${err.cause?.code ?? err.message})` };
    }
  }
}
