import type { ClusterStore } from '@bosun/kube';
import type { Redis } from '@bosun/messaging';
import { SECRET_PURPOSES, SecretBox, UnsealError } from './secrets/secret-box';

const KEY = 'bosun:clusters';

/**
 * Kubeconfigs of clusters added through the API, in Redis, encrypted with AES-256-GCM
 * (SecretBox, key from BOSUN_ENCRYPTION_KEY): a Redis dump or AOF file alone does not leak them.
 * Stored as `iv.tag.data` (base64 each), the form earlier versions wrote.
 */
export class RedisClusterStore implements ClusterStore {
  private readonly box?: SecretBox;
  constructor(private readonly redis: Redis, secret?: string) {
    this.box = SecretBox.optional(secret, SECRET_PURPOSES.clusterStore);
  }

  async save(name: string, kubeconfigYaml: string): Promise<void> {
    if (!this.box) throw new Error('BOSUN_ENCRYPTION_KEY is not set: clusters cannot be stored');
    const { iv, tag, data } = this.box.encrypt(kubeconfigYaml);
    await this.redis.hset(KEY, name, [iv, tag, data].map((b) => b.toString('base64')).join('.'));
  }

  async load(name: string): Promise<string | undefined> {
    const raw = await this.redis.hget(KEY, name);
    if (!raw || !this.box) return undefined;
    const parts = raw.split('.').map((p) => Buffer.from(p, 'base64'));
    if (parts.length !== 3) throw new UnsealError(`stored cluster ${name} is not in the iv.tag.data form`);
    const [iv, tag, data] = parts;
    return this.box.decrypt({ iv, tag, data });
  }

  async list(): Promise<string[]> {
    return (await this.redis.hkeys(KEY)).sort();
  }

  async remove(name: string): Promise<void> {
    await this.redis.hdel(KEY, name);
  }
}
