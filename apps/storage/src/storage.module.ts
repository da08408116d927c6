import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { BOSUN_CONFIG } from '@bosun/config';
import type { BosunConfig } from '@bosun/config';
import { kubeRuntime } from '@bosun/service-kit';
import { ClaimsModule } from './claims/claims.module';
import { ClassesModule } from './classes/classes.module';
import { LocalPathModule } from './local-path/local-path.module';
import { DEFAULT_STORAGE_OPTIONS, STORAGE_OPTIONS } from './storage.options';
import type { StorageOptions } from './storage.options';
import { ValidationModule } from './validation/validation.module';
import { VolumesModule } from './volumes/volumes.module';

@Module({})
class StorageOptionsModule {}

/**
 * The storage part of the config once @bosun/config has one (`config.storage`, see the README
 * for the variables asked of the lead); until then the defaults apply.
 */
const fromConfig = (config: BosunConfig): Partial<StorageOptions> => {
  const storage = config.storage ?? {};
  return Object.fromEntries(Object.entries(storage).filter(([, v]) => v !== undefined)) as Partial<StorageOptions>;
};

/** The storage service: its options, the cluster registry, and one module per capability. */
@Module({})
export class StorageModule {
  static forRoot(options: Partial<StorageOptions> = {}): DynamicModule {
    const optionsModule: DynamicModule = {
      module: StorageOptionsModule, global: true, exports: [STORAGE_OPTIONS],
      providers: [{
        provide: STORAGE_OPTIONS, inject: [BOSUN_CONFIG],
        useFactory: (config: BosunConfig): StorageOptions => ({ ...DEFAULT_STORAGE_OPTIONS, ...fromConfig(config), ...options }),
      }],
    };
    return { module: StorageModule, imports: [optionsModule, kubeRuntime(), ClassesModule, VolumesModule, ClaimsModule, ValidationModule, LocalPathModule] };
  }
}
