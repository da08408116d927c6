// Shared Jest settings. Our code compiles to CommonJS with swc (decorator metadata on,
// which Nest's DI needs). NestJS 12 and @kubernetes/client-node 2.x ship ES modules only;
// Node 24 loads them with require(esm) at run time, but Jest's CommonJS sandbox cannot,
// so they and their ESM-only dependencies are transformed by swc too.
const esmOnly = [
  '@kubernetes/client-node', 'jsonpath-plus', 'openid-client', 'oauth4webapi', 'jose',
  'rfc4648', 'socks-proxy-agent', 'agent-base',
  '@nestjs', '@standard-schema', 'file-type', '@tokenizer', 'strtok3', 'token-types', '@borewit',
  'uint8array-extras', 'load-esm', 'formidable',
];
const swcrc = { ...require('./swc.jest.json'), swcrc: false };
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest', swcrc] },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  modulePathIgnorePatterns: ['<rootDir>/.bosun/', '<rootDir>/dist/'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  moduleNameMapper: {
    '^@bosun/contracts$': '<rootDir>/libs/shared/contracts/src/index.ts',
    '^@bosun/config$': '<rootDir>/libs/shared/config/src/index.ts',
    '^@bosun/logging$': '<rootDir>/libs/shared/logging/src/index.ts',
    '^@bosun/messaging$': '<rootDir>/libs/shared/messaging/src/index.ts',
    '^@bosun/kube$': '<rootDir>/libs/shared/kube/src/index.ts',
    '^@bosun/testing$': '<rootDir>/libs/shared/testing/src/index.ts',
    '^@bosun/service-kit/testing$': '<rootDir>/libs/shared/service-kit/src/testing/index.ts',
    '^@bosun/service-kit$': '<rootDir>/libs/shared/service-kit/src/index.ts',
    '^@bosun/deployer-domain$': '<rootDir>/libs/deployer/domain/src/index.ts',
    '^@bosun/chatops-domain$': '<rootDir>/libs/chatops/domain/src/index.ts',
    '^@bosun/gateway-domain$': '<rootDir>/libs/gateway/domain/src/index.ts',
    '^@bosun/quantity$': '<rootDir>/libs/shared/quantity/src/index.ts',
    '^@bosun/autoscaler-domain$': '<rootDir>/libs/autoscaler/domain/src/index.ts',
    '^@bosun/storage-domain$': '<rootDir>/libs/storage/domain/src/index.ts',
    '^@bosun/dns-inspector-domain$': '<rootDir>/libs/dns-inspector/domain/src/index.ts',
    '^@bosun/provisioner-domain$': '<rootDir>/libs/provisioner/domain/src/index.ts',
  },
};
