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
  // The workspace aliases, from tsconfig.base.json (the one list; .swcrc mirrors it for builds).
  moduleNameMapper: Object.fromEntries(
    Object.entries(require('./tsconfig.base.json').compilerOptions.paths).map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/${target.replace(/^\.\//, '')}`]),
  ),
};
