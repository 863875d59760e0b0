// `node -r test/support/swc-register.js src/main.ts`: runs the backend's TypeScript sources in a child
// process, transpiled by swc with the settings jest uses (jest.preset.js), so a test's children run
// the code under test rather than a build that may be stale.
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

const options = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
};

Module._extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { ...options, filename });
  module._compile(code, filename);
};
