import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Unit tests cover the modules under src/lib: plain TypeScript, and the rune classes of `*.svelte.ts`
// (compiled by the Svelte plugin, run with Svelte's browser build so that runes are reactive);
// the browser tests in e2e/ drive the built app in Chromium against the real backend.
const alias = {
  $lib: fileURLToPath(new URL('./src/lib', import.meta.url)),
  $schemas: fileURLToPath(new URL('../schemas/src', import.meta.url)),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        plugins: [svelte()],
        resolve: { alias, conditions: ['browser'] },
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.ts'],
          environment: 'node',
          globalSetup: ['e2e/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
