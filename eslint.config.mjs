// Lint rules, including the architecture's dependency matrix: @nx/enforce-module-boundaries
// reads each project's `type:` and `scope:` tags from project.json.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const frameworkAndIo = ['@nestjs/*', 'nats', '@nats-io/*', 'bullmq', 'ioredis', '@kubernetes/client-node', 'express', 'pino*', 'prom-client'];

const depConstraints = (forTests) => [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:contracts', 'type:util', ...(forTests ? ['type:testing'] : [])] },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:testing', 'type:contracts', 'type:util', 'type:domain', 'type:data-access', 'type:app'] },
  { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:contracts', 'type:util', ...(forTests ? ['type:testing'] : [])] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:contracts', 'type:util'] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:contracts', 'type:util'] },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:util', ...(forTests ? ['type:testing'] : [])], bannedExternalImports: frameworkAndIo },
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [], bannedExternalImports: frameworkAndIo },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  ...['gateway', 'chatops', 'deployer', 'provisioner', 'autoscaler', 'storage', 'dns-inspector']
    .map((s) => ({ sourceTag: `scope:${s}`, onlyDependOnLibsWithTags: [`scope:${s}`, 'scope:shared'] })),
  // End-to-end tests drive whole apps, so they may import app factories of any scope.
  { sourceTag: 'scope:e2e', onlyDependOnLibsWithTags: ['scope:shared', 'scope:deployer', 'scope:chatops', 'scope:gateway'] },
];
const boundaries = (forTests) => ['error', { enforceBuildableLibDependency: false, allow: [], depConstraints: depConstraints(forTests) }];

export default [
  { ignores: ['**/dist', '**/node_modules', '**/coverage', 'tools/**', '.bosun/**', '**/*.mjs', '**/*.js'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@nx/enforce-module-boundaries': boundaries(false),
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/explicit-module-boundary-types': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      complexity: ['error', 15],
      'max-depth': ['error', 3],
      'max-lines': ['warn', { max: 300, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // Fixtures and test helpers are test code too (never exported from a library's index).
    files: ['**/*.spec.ts', '**/*.int.ts', '**/*.e2e.ts', '**/*.fixtures.ts', '**/*.testing.ts', 'e2e/**/*.ts', 'bench/**/*.ts', 'libs/shared/testing/**/*.ts', '{apps,libs}/**/src/testing/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(true), '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/explicit-module-boundary-types': 'off', 'max-lines': 'off', complexity: 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // End-to-end tests drive whole apps and may import their factories by path; the
    // matrix still binds every app and library.
    files: ['e2e/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
];
