export * from './roles';
export * from './token';
export * from './operation-state';
export * from './approval-policy';
export * from './idempotency';
