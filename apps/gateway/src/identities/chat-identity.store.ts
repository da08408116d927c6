import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from '@bosun/messaging';
import type { Role } from '@bosun/gateway-domain';
import { STATE_REDIS } from '../tokens';

export interface ChatIdentity { subject: string; groups: string[]; roles: Role[] }

const key = (platform: string, userId: string): string => `bosun:chat-identity:${platform}:${userId}`;

/** Chat users linked to Bosun subjects; chat commands run as the linked subject. */
@Injectable()
export class ChatIdentityStore {
  constructor(@Inject(STATE_REDIS) private readonly redis: Redis) {}

  async get(platform: string, userId: string): Promise<ChatIdentity | undefined> {
    const raw = await this.redis.get(key(platform, userId));
    if (!raw) return undefined;
    const id = JSON.parse(raw) as Partial<ChatIdentity> & { subject: string };
    return { subject: id.subject, groups: id.groups ?? [], roles: id.roles ?? ['operator'] };
  }

  async link(platform: string, userId: string, identity: ChatIdentity): Promise<void> {
    await this.redis.set(key(platform, userId), JSON.stringify(identity));
  }
}
