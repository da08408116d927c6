// Three layers (ARCHITECTURE.md): unit (`*.spec.ts`, no services), integration
// (`*.int.ts`, real NATS/Redis/Kubernetes) and end to end (`*.e2e.ts`, running apps).
// `npm test` runs all three; `jest --selectProjects unit` runs one.
const preset = require('./jest.preset');
const project = (displayName, pattern, extra = {}) => ({
  ...preset, displayName, rootDir: __dirname, testMatch: [pattern], ...extra,
});
module.exports = {
  projects: [
    project('unit', '<rootDir>/{apps,libs,tools}/**/*.spec.ts'),
    project('integration', '<rootDir>/{apps,libs,tools}/**/*.int.ts'),
    project('e2e', '<rootDir>/e2e/**/*.e2e.ts'),
  ],
};
