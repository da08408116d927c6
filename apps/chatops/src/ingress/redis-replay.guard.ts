import { Inject, Injectable } from '@nestjs/common';
import type { ReplayGuard } from '@bosun/chatops-domain';
import type { Redis } from '@bosun/messaging';
import { CHAT_REDIS } from '../tokens';

const PREFIX = 'bosun:chat:replay:';

/** The replay guard in Redis, shared by every chatops replica: `SET key 1 NX EX ttl`. */
@Injectable()
export class RedisReplayGuard implements ReplayGuard {
  constructor(@Inject(CHAT_REDIS) private readonly redis: Redis) {}

  async claim(key: string, ttlSeconds: number): Promise<boolean> {
    return (await this.redis.set(`${PREFIX}${key}`, '1', 'EX', Math.max(1, Math.ceil(ttlSeconds)), 'NX')) === 'OK';
  }
}
