import { Redis } from 'ioredis';
import type { BosunLogger } from '@bosun/logging';

/**
 * ioredis client that retries forever (BullMQ workers require
 * maxRetriesPerRequest: null): a Redis restart pauses work, it does not lose it.
 */
export function connectRedis(url: string, name: string, logger: BosunLogger): Redis {
  const redis = new Redis(url, {
    connectionName: name,
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(100 * times, 2000),
  });
  redis.on('error', (err) => logger.warn({ err: err.message, name }, 'redis connection error'));
  return redis;
}

/** Client for request paths: fails fast while Redis is away instead of queueing forever. */
export function connectRedisFailFast(url: string, name: string, logger: BosunLogger): Redis {
  const redis = new Redis(url, {
    connectionName: name,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: (times) => Math.min(100 * times, 2000),
  });
  redis.on('error', (err) => logger.warn({ err: err.message, name }, 'redis connection error'));
  return redis;
}
