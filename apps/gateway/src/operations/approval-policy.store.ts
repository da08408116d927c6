import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from '@bosun/messaging';
import type { ApprovalRule } from '@bosun/gateway-domain';
import { STATE_REDIS } from '../tokens';

const KEY = 'bosun:policy:approvals';
const CACHE_MS = 1000;

@Injectable()
export class ApprovalPolicyStore {
  constructor(@Inject(STATE_REDIS) private readonly redis: Redis) {}
  private cached?: { rules: ApprovalRule[]; at: number };

  /**
   * Read on every intake, so cached for a second: a change made through another gateway
   * replica applies within that second (through this one, at once).
   */
  async get(): Promise<ApprovalRule[]> {
    if (this.cached && Date.now() - this.cached.at < CACHE_MS) return this.cached.rules;
    const raw = await this.redis.get(KEY);
    const rules = raw ? (JSON.parse(raw) as ApprovalRule[]) : [];
    this.cached = { rules, at: Date.now() };
    return rules;
  }
  async put(rules: ApprovalRule[]): Promise<void> {
    await this.redis.set(KEY, JSON.stringify(rules));
    this.cached = { rules, at: Date.now() };
  }
}
