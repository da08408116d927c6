import { Inject, Injectable } from '@nestjs/common';
import { BOSUN_CONFIG } from '@bosun/config';
import type { BosunConfig } from '@bosun/config';
import type { Redis } from '@bosun/messaging';
import { generateToken, hashToken, newTokenId, tokensEqual } from '@bosun/gateway-domain';
import type { Role } from '@bosun/gateway-domain';
import { STATE_REDIS } from '../tokens';
import type { Principal } from './principal';

export interface TokenRecord { id: string; name: string; subject: string; groups: string[]; roles: Role[]; createdAt: string; expiresAt?: string; createdBy: string }

const byHash = (hash: string): string => `bosun:token:${hash}`;
const INDEX = 'bosun:tokens';

/** API tokens, stored only as SHA-256 hashes; the plain token is returned once, at creation. */
@Injectable()
export class TokenStore {
  constructor(@Inject(STATE_REDIS) private readonly redis: Redis, @Inject(BOSUN_CONFIG) private readonly config: BosunConfig) {}

  async create(input: Omit<TokenRecord, 'id' | 'createdAt' | 'expiresAt'> & { ttlSeconds?: number }): Promise<{ record: TokenRecord; token: string }> {
    const token = generateToken();
    const hash = hashToken(token);
    const now = Date.now();
    const record: TokenRecord = {
      id: newTokenId(), name: input.name, subject: input.subject, groups: input.groups, roles: input.roles, createdBy: input.createdBy,
      createdAt: new Date(now).toISOString(), expiresAt: input.ttlSeconds ? new Date(now + input.ttlSeconds * 1000).toISOString() : undefined,
    };
    const tx = this.redis.multi().set(byHash(hash), JSON.stringify(record)).hset(INDEX, record.id, hash);
    if (input.ttlSeconds) tx.expire(byHash(hash), input.ttlSeconds);
    await tx.exec();
    return { record, token };
  }

  async list(): Promise<TokenRecord[]> {
    const hashes = Object.values(await this.redis.hgetall(INDEX));
    if (!hashes.length) return [];
    const raw = await this.redis.mget(hashes.map(byHash));
    return raw.filter((r): r is string => !!r).map((r) => JSON.parse(r) as TokenRecord).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async revoke(id: string): Promise<boolean> {
    const hash = await this.redis.hget(INDEX, id);
    if (!hash) return false;
    await this.redis.multi().del(byHash(hash)).hdel(INDEX, id).exec();
    return true;
  }

  /** Resolves a bearer token to its principal; the bootstrap admin token is checked in constant time. */
  async authenticate(token: string): Promise<Principal | undefined> {
    const admin = this.config.admin;
    if (admin.token && tokensEqual(token, admin.token)) return { subject: admin.subject, groups: admin.groups, roles: ['admin'], tokenId: 'bootstrap-admin' };
    const raw = await this.redis.get(byHash(hashToken(token)));
    if (!raw) return undefined;
    const r = JSON.parse(raw) as TokenRecord;
    if (r.expiresAt && Date.parse(r.expiresAt) <= Date.now()) return undefined;
    return { subject: r.subject, groups: r.groups, roles: r.roles, tokenId: r.id };
  }
}
