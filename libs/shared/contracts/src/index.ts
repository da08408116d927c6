export * from './services';
export * from './subjects';
export * from './common';
export * from './operation';
export * from './command';
export * from './query';
export * from './deployer';
export * from './quantity.grammar';
