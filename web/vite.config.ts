import { defineConfig } from 'vitest/config';

// The app is served by core-server from web/dist (same origin as /api/v1), so no proxy or base path is needed
// in production. `npm run dev` proxies the API to a running core-server (CORTEX_API, default scripts/up.sh's port).
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // Our CSP forbids inline scripts; keep every asset as a file.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: {
    proxy: {
      '/api': process.env.CORTEX_API ?? 'http://127.0.0.1:5080',
    },
  },
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
  },
});
