// Shared jest settings for the TypeScript workspaces: swc transpiles (with decorator metadata for Nest).
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
    // ESM-only packages (Node requires them natively; jest's module system needs them as CommonJS).
    '/node_modules/@secretlint/.+\\.js$': ['@swc/jest', { module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!@secretlint/)'],
  moduleNameMapper: { '^@sightline/schemas$': '<rootDir>/../schemas/src' },
};
