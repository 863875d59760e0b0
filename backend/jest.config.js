module.exports = require('../jest.preset').tiers({
  testTimeout: 30000,
  // Quiet when green: test output is printed only for a failing file (or always with LOG_LEVEL set).
  testEnvironment: '<rootDir>/test/support/quiet-environment.js',
});
