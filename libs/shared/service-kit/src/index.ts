export * from './tokens';
export * from './health.registry';
export * from './runtime.module';
export * from './ping.responder';
export * from './command.router';
export * from './kube.provider';
export * from './bootstrap';
export * from './redis-cluster.store';
