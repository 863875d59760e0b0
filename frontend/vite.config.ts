import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';
import { staticIcons } from './scripts/static-icons';

// Where `npm run dev` sends API traffic: the backend started with `npm run dev` at the repo root.
const api = process.env.SIGHTLINE_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [staticIcons(), sveltekit()],
  build: {
    rollupOptions: {
      // Rollup merges chunks smaller than this into chunks that are loaded anyway: a page's first
      // load is a handful of requests, not ~60 of 1–2 kB (each a round trip on a slow network).
      output: { experimentalMinChunkSize: 40_000 },
    },
  },
  server: {
    proxy: {
      '/graphql': { target: api, ws: true },
      '/v1': { target: api },
      '/auth/': { target: api },
    },
  },
  preview: {
    proxy: {
      '/graphql': { target: api, ws: true },
      '/v1': { target: api },
      '/auth/': { target: api },
    },
  },
});
