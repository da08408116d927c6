import type { DynamicModule } from '@nestjs/common';
import { Module, Inject } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { BOSUN_CONFIG, ConfigError } from '@bosun/config';
import type { BosunConfig } from '@bosun/config';
import { CLUSTER_REGISTRY, ClusterRegistry, KubeModule } from '@bosun/kube';
import type { BosunLogger } from '@bosun/logging';
import { HealthRegistry } from './health.registry';
import type { Redis } from '@bosun/messaging';
import { RedisClusterStore } from './redis-cluster.store';
import { LOGGER, REDIS } from './tokens';

/** kubectl version the skew check compares against (the test control plane's). */
const KUBECTL_VERSION = 'v1.36.3';

@Module({})
class KubeHealthModule implements OnModuleInit {
  constructor(@Inject(CLUSTER_REGISTRY) private readonly registry: ClusterRegistry, private readonly health: HealthRegistry) {}
  async onModuleInit(): Promise<void> {
    // Clusters added through the API (kept encrypted in Redis) come back after a restart;
    // one that cannot be read is skipped and reported, never a reason not to boot.
    await this.registry.restore();
    this.health.register('stored-clusters', () => {
      const bad = Object.entries(this.registry.unreadable());
      return bad.length ? { ok: false, detail: bad.map(([name, why]) => `${name}: ${why}`).join('; ') } : { ok: true };
    });
    this.health.register('kubernetes', async () => {
      const d = await this.registry.describe(this.registry.names()[0] ?? 'default');
      return d.reachable ? { ok: true, detail: d.version } : { ok: false, detail: d.error ?? 'default cluster unreachable' };
    });
  }
}

/** The cluster registry for services that act on Kubernetes; the default cluster is reported in health. */
export function kubeRuntime(): DynamicModule {
  return {
    module: KubeHealthModule,
    imports: [
      KubeModule.forRootAsync({
        inject: [BOSUN_CONFIG, LOGGER, REDIS],
        useFactory: (config: BosunConfig, logger: BosunLogger, redis: Redis) => ({
          // Clusters added through the API are stored encrypted: without the key they could be neither kept nor read back.
          ...requireEncryptionKey(config),
          kubeconfigPath: config.kubeconfig, logger: logger.child({ component: 'kube' }), kubectlVersion: KUBECTL_VERSION,
          store: new RedisClusterStore(redis, config.encryptionKey),
        }),
        global: true,
      }),
    ],
  };
}

function requireEncryptionKey(config: BosunConfig): Record<string, never> {
  if (!config.encryptionKey) {
    throw new ConfigError(['BOSUN_ENCRYPTION_KEY: required by a service that stores clusters (kubeconfigs are kept encrypted); `npm run up` generates one into .bosun/encryption-key']);
  }
  return {};
}
