export * from './service.harness';
