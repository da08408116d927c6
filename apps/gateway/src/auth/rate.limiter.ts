import { Inject, Injectable } from '@nestjs/common';
import { BOSUN_CONFIG } from '@bosun/config';
import type { BosunConfig } from '@bosun/config';
import type { Redis } from '@bosun/messaging';
import { Problem } from '../http/problem';
import type { Answers } from '../http/problem';
import { STATE_REDIS } from '../tokens';

/** Every authenticated route is rate limited (the guard calls `take` after the role check). */
export const RATE_LIMIT_ANSWERS: Answers = { 429: 'Rate limit of the token reached (BOSUN_RATE_LIMIT_PER_MINUTE); retry in the next minute' };

/** A fixed one-minute window per token, shared by every gateway replica; 0 disables it. */
@Injectable()
export class RateLimiter {
  constructor(@Inject(STATE_REDIS) private readonly redis: Redis, @Inject(BOSUN_CONFIG) private readonly config: BosunConfig) {}

  async take(who: string): Promise<void> {
    const limit = this.config.rateLimitPerMinute;
    if (!limit) return;
    const key = `bosun:rl:${who}:${Math.floor(Date.now() / 60_000)}`;
    const [[, count]] = (await this.redis.multi().incr(key).expire(key, 90).exec()) as [[unknown, number]];
    if (count > limit) throw new Problem(429, 'Too Many Requests', `rate limit of ${limit} requests per minute exceeded; retry in the next minute`);
  }
}
