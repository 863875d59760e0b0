import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// Where `npm run dev` sends API traffic: the backend started with `npm run dev` at the repo root.
const api = process.env.SIGHTLINE_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [sveltekit()],
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
