import { Inject, Injectable, Module, type DynamicModule, type InjectionToken, type ModuleMetadata, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { ClusterRegistry, type ClusterRegistryOptions } from './cluster.registry';

/** Injection token of the `ClusterRegistry`; `registry.get(cluster)` gives a `KubePort`. */
export const CLUSTER_REGISTRY = Symbol('bosun.kube.ClusterRegistry');
const KUBE_OPTIONS = Symbol('bosun.kube.options');

export interface KubeModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: InjectionToken[];
  useFactory: (...args: never[]) => ClusterRegistryOptions | Promise<ClusterRegistryOptions>;
  global?: boolean;
}

@Injectable()
class KubeShutdown implements OnApplicationShutdown {
  constructor(@Inject(CLUSTER_REGISTRY) private readonly registry: ClusterRegistry) {}

  // Informer watches hold sockets open; without this a stopping service would hang.
  onApplicationShutdown(): void {
    this.registry.close();
  }
}

const registryProvider: Provider = {
  provide: CLUSTER_REGISTRY,
  inject: [KUBE_OPTIONS],
  useFactory: async (options: ClusterRegistryOptions): Promise<ClusterRegistry> => {
    const registry = new ClusterRegistry(options);
    await registry.restore();
    return registry;
  },
};

/** Thin Nest wiring around the framework-free registry. */
@Module({})
export class KubeModule {
  static forRoot(options: ClusterRegistryOptions, global = false): DynamicModule {
    return KubeModule.forRootAsync({ useFactory: () => options, global });
  }

  static forRootAsync(options: KubeModuleAsyncOptions): DynamicModule {
    return {
      module: KubeModule,
      global: options.global ?? false,
      imports: options.imports ?? [],
      providers: [
        { provide: KUBE_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
        registryProvider,
        KubeShutdown,
      ],
      exports: [CLUSTER_REGISTRY],
    };
  }
}
