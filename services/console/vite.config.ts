import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The stack `npm start` runs; `npm run dev:console` proxies the API there, so the console stays same-origin. */
const api = process.env.EKTOLA_API_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The CSP allows no inline script, so even the module-preload helper ships as a file.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  server: {
    port: 5173,
    proxy: { '/v1': { target: api, changeOrigin: false } },
  },
});
