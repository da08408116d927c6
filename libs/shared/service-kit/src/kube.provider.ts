import type { DynamicModule } from '@nestjs/common';
import { Module, Inject } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { BOSUN_CONFIG } from '@bosun/config';
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
    // Clusters added through the API (kept encrypted in Redis) come back after a restart.
    await this.registry.restore();
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
          kubeconfigPath: config.kubeconfig, logger: logger.child({ component: 'kube' }), kubectlVersion: KUBECTL_VERSION,
          store: new RedisClusterStore(redis, config.encryptionKey),
        }),
        global: true,
      }),
    ],
  };
}
