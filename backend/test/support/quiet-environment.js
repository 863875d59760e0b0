// Jest environment for the backend: quiet when green. What a test file writes to the console, or
// straight to stdout/stderr (the app's first-start banner, Nest and kafkajs logs), is held back and
// printed only when one of its tests or hooks fails. With LOG_LEVEL set, everything prints at once.
const { format } = require('node:util');
const { TestEnvironment } = require('jest-environment-node');

class QuietEnvironment extends TestEnvironment {
  held = [];
  failed = false;

  async setup() {
    await super.setup();
    if (process.env.LOG_LEVEL) return;
    const hold = (text) => this.held.push(text);
    const proc = this.global.process;
    for (const name of ['stdout', 'stderr']) {
      // A stream like the real one whose writes are held; jest's own output uses the real one.
      const stream = Object.create(proc[name]);
      stream.write = (chunk, ...rest) => {
        hold(String(chunk));
        rest.find((arg) => typeof arg === 'function')?.();
        return true;
      };
      Object.defineProperty(proc, name, { value: stream, configurable: true });
    }
    const console = this.global.console;
    this.global.console = Object.assign(Object.create(console), {
      ...Object.fromEntries(
        ['log', 'info', 'warn', 'error', 'debug', 'trace'].map((method) => [
          method,
          (...args) => hold(`console.${method}: ${format(...args)}\n`),
        ]),
      ),
    });
  }

  async handleTestEvent(event) {
    if (event.name === 'test_fn_failure' || event.name === 'hook_failure') this.failed = true;
  }

  async teardown() {
    if (this.failed && this.held.length > 0) {
      process.stderr.write(`\n── output held back from the failed test file ──\n${this.held.join('')}\n`);
    }
    await super.teardown();
  }
}

module.exports = QuietEnvironment;
