// Shared jest settings for the TypeScript workspaces: swc transpiles (with decorator metadata for Nest).
// The file name says a test's tier; `jest --selectProjects unit` runs one tier (see tiers() below).
const preset = {
  testEnvironment: 'node',
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

const SPECS = ['<rootDir>/src/**/', '<rootDir>/test/**/'];

/**
 * One jest project per test tier, told apart by file name:
 * - `unit`: `*.spec.ts`, pure code (no broker, no chDB or lmdb, no port, no Nest app); seconds.
 * - `integration`: `*.int.spec.ts`, chDB, lmdb, local HTTP servers, the Nest app.
 * - `kafka`: `*.kafka.spec.ts`, the real broker (`backend/test/support/kafka-brokers.ts`).
 * `options` apply to every tier (e.g. `testEnvironment`); `testTimeout` is set at the top, since
 * jest ignores it inside `projects` (jestjs/jest#9696: every test had the 5 s default).
 */
function tiers({ testTimeout, ...options } = {}) {
  const tier = (displayName, suffix, ignore = []) => ({
    ...preset,
    displayName,
    testMatch: SPECS.map((dir) => `${dir}*${suffix}`),
    testPathIgnorePatterns: ['/node_modules/', ...ignore],
    ...options,
  });
  return {
    ...(testTimeout === undefined ? {} : { testTimeout }),
    projects: [
      tier('unit', '.spec.ts', ['\\.int\\.spec\\.ts$', '\\.kafka\\.spec\\.ts$']),
      tier('integration', '.int.spec.ts'),
      tier('kafka', '.kafka.spec.ts'),
    ],
  };
}

module.exports = { preset, tiers };
