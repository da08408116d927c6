const preset = require('./jest.preset');
module.exports = { ...preset, rootDir: __dirname, testMatch: ['<rootDir>/libs/**/*.spec.ts'] };
