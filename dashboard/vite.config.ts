import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * `npm run build` writes dashboard/dist, which the API server serves at `/`.
 * `npx vite --config dashboard/vite.config.ts` runs a dev server that proxies
 * the API (HTTP and graphql-ws) to a running `npm start` on :4000, started with
 * EPOCHAL_ALLOWED_ORIGINS=http://localhost:5173 (the API refuses other sites' pages).
 */
export default defineConfig({
  root,
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 800 },
  server: {
    proxy: {
      '/graphql': { target: 'http://127.0.0.1:4000', ws: true },
      '/api': 'http://127.0.0.1:4000',
    },
  },
});
