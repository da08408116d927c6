import { createLogger } from '@bosun/logging';
import { connectRedis } from '@bosun/messaging';
import type { Redis } from '@bosun/messaging';
import { testInfra, uniqueName } from '@bosun/testing';
import { RedisClusterStore } from './redis-cluster.store';

// The store of clusters added through the API, against real Redis: what lands on disk is
// ciphertext, another key cannot read it, and nothing is stored without a key.
let redis: Redis;
const kubeconfig = 'apiVersion: v1\nkind: Config\nusers: [{name: u, user: {token: s3cret-token-value}}]\n';
beforeAll(() => {
  redis = connectRedis(testInfra().redisUrl, 'cluster-store-int', createLogger('test', 'silent'));
});
afterAll(() => redis.disconnect());

describe('RedisClusterStore (real Redis)', () => {
  it('round-trips a kubeconfig, and Redis holds only AES-GCM ciphertext of it', async () => {
    const store = new RedisClusterStore(redis, 'store-test-key-0123456789abcdef');
    const name = uniqueName('c');
    await store.save(name, kubeconfig);
    expect(await store.load(name)).toBe(kubeconfig);
    expect(await store.list()).toContain(name);
    const raw = await redis.hget('bosun:clusters', name);
    expect(raw).toMatch(/^[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$/);
    expect(Buffer.from(raw!.split('.')[2], 'base64').toString('utf8')).not.toContain('s3cret');
    await store.remove(name);
    expect(await store.load(name)).toBeUndefined();
  });

  it('a store with another key cannot read it (the registry then skips and reports the entry)', async () => {
    const name = uniqueName('c');
    await new RedisClusterStore(redis, 'store-test-key-0123456789abcdef').save(name, kubeconfig);
    await expect(new RedisClusterStore(redis, 'another-key-0123456789abcdef00').load(name)).rejects.toThrow();
    await redis.hdel('bosun:clusters', name);
  });

  it('refuses to store without a key rather than keep a kubeconfig in plaintext', async () => {
    await expect(new RedisClusterStore(redis).save(uniqueName('c'), kubeconfig)).rejects.toThrow(/BOSUN_ENCRYPTION_KEY/);
  });
});
