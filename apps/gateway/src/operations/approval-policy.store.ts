import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from '@bosun/messaging';
import type { ApprovalRule } from '@bosun/gateway-domain';
import { STATE_REDIS } from '../tokens';

const KEY = 'bosun:policy:approvals';

@Injectable()
export class ApprovalPolicyStore {
  constructor(@Inject(STATE_REDIS) private readonly redis: Redis) {}
  async get(): Promise<ApprovalRule[]> {
    const raw = await this.redis.get(KEY);
    return raw ? (JSON.parse(raw) as ApprovalRule[]) : [];
  }
  async put(rules: ApprovalRule[]): Promise<void> {
    await this.redis.set(KEY, JSON.stringify(rules));
  }
}
