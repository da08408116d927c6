import { Global, Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import type { BosunConfig } from './bosun.config';

/** DI token of the parsed, typed configuration. */
export const BOSUN_CONFIG = Symbol('BOSUN_CONFIG');

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: BosunConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: BOSUN_CONFIG, useValue: config }], exports: [BOSUN_CONFIG] };
  }
}
