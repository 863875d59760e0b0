module.exports = {
  ...require('../jest.preset'),
  testTimeout: 30000,
  // Quiet when green: test output is printed only for a failing file (or always with LOG_LEVEL set).
  testEnvironment: '<rootDir>/test/quiet-environment.js',
};
