import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    // The role definitions the backend uses too (schemas/src/roles.ts), imported as source.
    alias: { $schemas: '../schemas/src' },
    // SPA mode: every route is rendered in the browser (`ssr = false` in the root layout) and the
    // backend serves `build/index.html` for any path that is not a file.
    adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html', strict: true }),
    // SvelteKit's bootstrap is an inline <script>; in 'hash' mode its sha256 goes into a
    // <meta http-equiv="content-security-policy"> tag of the generated index.html, so the page runs
    // without 'unsafe-inline'. A CSP header sent by the server is enforced in addition to the meta tag
    // and must allow the same script hash (or not restrict script-src).
    csp: {
      mode: 'hash',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'style-src': ['self'],
        // SvelteKit's route announcer (a visually hidden live region) carries a style attribute.
        // Style attributes only (not <style> elements, not scripts) may be inline.
        'style-src-attr': ['unsafe-inline'],
        'img-src': ['self', 'data:'],
        'font-src': ['self'],
        // 'self' covers same-origin ws:/wss: in CSP level 3 browsers (the graphql-ws subscription).
        'connect-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
      },
    },
    typescript: {
      config(tsconfig) {
        // Type-check the tooling and browser tests with the app (paths are relative to .svelte-kit/).
        tsconfig.include.push('../e2e/**/*.ts', '../vitest.config.ts', '../codegen.ts');
        return tsconfig;
      },
    },
  },
};

export default config;
