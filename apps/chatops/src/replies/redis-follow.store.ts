import { Inject, Injectable } from '@nestjs/common';
import { decodeFollow, encodeFollow, type FollowProgress, type FollowRecord } from '@bosun/chatops-domain';
import { BOSUN_CONFIG } from '@bosun/config';
import type { BosunConfig } from '@bosun/config';
import type { BosunLogger } from '@bosun/logging';
import type { Redis } from '@bosun/messaging';
import { LOGGER, SECRET_PURPOSES, SecretBox } from '@bosun/service-kit';
import { CHAT_REDIS } from '../tokens';
import { FollowStore, type StoredFollow } from './follow.store';

const KEY = {
  index: 'bosun:chat:follows',
  follow: (id: string) => `bosun:chat:follow:${id}`,
  lease: (id: string) => `bosun:chat:follow:${id}:lease`,
  final: (id: string) => `bosun:chat:follow:${id}:final`,
};

/** KEYS: lease, follow, index. ARGV: owner, leaseMs, id, sealed record, sent, shown, expiresAt. */
const START = `
local holder = redis.call('get', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('hset', KEYS[2], 'record', ARGV[4], 'sent', ARGV[5], 'shown', ARGV[6])
redis.call('pexpireat', KEYS[2], ARGV[7])
redis.call('zadd', KEYS[3], ARGV[7], ARGV[3])
return 1`;
/** KEYS: lease, follow. A lease that lapsed is taken back only while the follow still exists. */
const RENEW = `
local holder = redis.call('get', KEYS[1])
if holder == ARGV[1] then redis.call('pexpire', KEYS[1], ARGV[2]) return 1 end
if holder or redis.call('exists', KEYS[2]) == 0 then return 0 end
redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
/** Progress of a follow that has ended is not written: it would bring back a record without its expiry. */
const PROGRESSED = "if redis.call('exists', KEYS[1]) == 1 then redis.call('hincrby', KEYS[1], 'sent', 1) redis.call('hset', KEYS[1], 'shown', ARGV[1]) end return 1";
/** Claims for `owner`, or confirms a claim `owner` made already. */
const CLAIM = `
if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PXAT', ARGV[2]) then return 1 end
if redis.call('get', KEYS[1]) == ARGV[1] then return 1 end
return 0`;

/**
 * Follows in Redis (the fail-fast connection: a follower never hangs on a Redis that is
 * away; it retries). A hash per follow with its expiry, an index sorted by expiry for the
 * sweep, a lease per follow (`SET NX PX`, renewed by its holder) and a final-message claim.
 *
 * The response URL is a capability (whoever has a Slack one can post into the channel), so
 * the record is sealed at rest (AES-256-GCM bound to the follow id). Chatops has no
 * BOSUN_ENCRYPTION_KEY; the key is derived from BOSUN_INTERNAL_TOKEN, the one secret every
 * chatops replica has (a rotated token makes follows stored before it unreadable: dropped).
 */
@Injectable()
export class RedisFollowStore extends FollowStore {
  private readonly box: SecretBox;

  constructor(@Inject(CHAT_REDIS) private readonly redis: Redis, @Inject(BOSUN_CONFIG) config: BosunConfig, @Inject(LOGGER) private readonly logger: BosunLogger) {
    super();
    this.box = new SecretBox(config.internalToken ?? '', SECRET_PURPOSES.sealedValues);
  }

  async start(id: string, record: FollowRecord, progress: FollowProgress, owner: string, leaseMs: number): Promise<boolean> {
    const sealed = this.box.seal(encodeFollow(record), context(id));
    const args = [owner, leaseMs, id, sealed, progress.sent, progress.shown, record.expiresAt];
    return (await this.redis.eval(START, 3, KEY.lease(id), KEY.follow(id), KEY.index, ...args)) === 1;
  }

  async pending(now: number, limit: number): Promise<string[]> {
    const results = await this.redis.multi()
      .zremrangebyscore(KEY.index, '-inf', `(${now}`) // expired: their hashes expire by themselves
      .zrangebyscore(KEY.index, now, '+inf', 'LIMIT', 0, limit)
      .exec();
    const [err, ids] = results?.[1] ?? [null, []];
    if (err) throw err;
    return ids as string[];
  }

  async take(id: string, owner: string, leaseMs: number): Promise<StoredFollow | undefined> {
    if ((await this.redis.set(KEY.lease(id), owner, 'PX', leaseMs, 'NX')) !== 'OK') return undefined;
    const [stored, claimed] = await Promise.all([this.redis.hgetall(KEY.follow(id)), this.redis.exists(KEY.final(id))]);
    if (!stored.record) {
      await this.end(id);
      return undefined;
    }
    const record = this.open(id, stored.record);
    if (!record) {
      this.logger.warn({ followId: id }, 'a stored follow cannot be read (another key or format); dropped');
      await this.end(id);
      return undefined;
    }
    return { record, progress: { sent: Number(stored.sent ?? 0) || 0, shown: stored.shown ?? '' }, finalClaimed: claimed === 1 };
  }

  async renew(id: string, owner: string, leaseMs: number): Promise<boolean> {
    return (await this.redis.eval(RENEW, 2, KEY.lease(id), KEY.follow(id), owner, leaseMs)) === 1;
  }

  async release(id: string, owner: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, KEY.lease(id), owner);
  }

  async progressed(id: string, shown: string): Promise<void> {
    await this.redis.eval(PROGRESSED, 1, KEY.follow(id), shown);
  }

  async claimFinal(id: string, owner: string, untilMs: number): Promise<boolean> {
    return (await this.redis.eval(CLAIM, 1, KEY.final(id), owner, Math.max(Date.now() + 1000, Math.ceil(untilMs)))) === 1;
  }

  async unclaimFinal(id: string, owner: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, KEY.final(id), owner);
  }

  async end(id: string): Promise<void> {
    await this.redis.multi().del(KEY.follow(id), KEY.lease(id)).zrem(KEY.index, id).exec();
  }

  private open(id: string, sealed: string): FollowRecord | undefined {
    try {
      return decodeFollow(this.box.open(sealed, context(id)));
    } catch {
      return undefined;
    }
  }
}

const context = (id: string): string => `chat-follow:${id}`;
