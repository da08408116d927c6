import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
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

/** The storage service: its options, the cluster registry, and one module per capability. */
@Module({})
export class StorageModule {
  static forRoot(options: Partial<StorageOptions> = {}): DynamicModule {
    const optionsModule: DynamicModule = {
      module: StorageOptionsModule, global: true,
      providers: [{ provide: STORAGE_OPTIONS, useValue: { ...DEFAULT_STORAGE_OPTIONS, ...options } }], exports: [STORAGE_OPTIONS],
    };
    return { module: StorageModule, imports: [optionsModule, kubeRuntime(), ClassesModule, VolumesModule, ClaimsModule, ValidationModule, LocalPathModule] };
  }
}
