export * from './infra';
export * from './result.testing';
