// Builds the front end into web/dist for `waymark serve`. The server sends a strict
// Content-Security-Policy (no inline scripts or styles), so nothing may be inlined:
// no module-preload polyfill, no inlined assets, CSS in files.
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    cssCodeSplit: false,
    sourcemap: false,
  },
  css: {
    preprocessorOptions: {
      scss: { quietDeps: true },
    },
  },
  // `npm run dev` talks to a local `waymark serve --port 8080`.
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
