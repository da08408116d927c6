import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { ClusterStore } from '@bosun/kube';
import type { Redis } from '@bosun/messaging';

const KEY = 'bosun:clusters';

/**
 * Kubeconfigs of clusters added through the API, in Redis, encrypted with AES-256-GCM
 * (key from BOSUN_ENCRYPTION_KEY): a Redis dump or AOF file alone does not leak them.
 */
export class RedisClusterStore implements ClusterStore {
  private readonly key?: Buffer;
  constructor(private readonly redis: Redis, secret?: string) {
    this.key = secret ? createHash('sha256').update(`bosun-cluster-store:${secret}`).digest() : undefined;
  }

  async save(name: string, kubeconfigYaml: string): Promise<void> {
    if (!this.key) throw new Error('BOSUN_ENCRYPTION_KEY is not set: clusters cannot be stored');
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([c.update(kubeconfigYaml, 'utf8'), c.final()]);
    await this.redis.hset(KEY, name, [iv, c.getAuthTag(), data].map((b) => b.toString('base64')).join('.'));
  }

  async load(name: string): Promise<string | undefined> {
    const raw = await this.redis.hget(KEY, name);
    if (!raw || !this.key) return undefined;
    const [iv, tag, data] = raw.split('.').map((p) => Buffer.from(p, 'base64'));
    const d = createDecipheriv('aes-256-gcm', this.key, iv);
    d.setAuthTag(tag);
    return Buffer.concat([d.update(data), d.final()]).toString('utf8');
  }

  async list(): Promise<string[]> {
    return (await this.redis.hkeys(KEY)).sort();
  }

  async remove(name: string): Promise<void> {
    await this.redis.hdel(KEY, name);
  }
}
