export * from './bosun.config';
export * from './config.module';
