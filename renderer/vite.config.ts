import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Builds the renderer into dist/renderer with relative URLs, so the same
 * files load from file:// in Electron and from the test host.
 */
export default defineConfig({
  root,
  base: './',
  // @vitejs/plugin-react isn't installed: esbuild compiles the JSX itself.
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    // dist/renderer is the renderer's alone; emptying it leaves no stale bundles.
    emptyOutDir: true,
    target: 'chrome130',
    // Fixed names: the app loads from file:// and the test host sends no-store, so hashes buy nothing.
    rollupOptions: {
      output: { entryFileNames: 'assets/[name].js', chunkFileNames: 'assets/[name].js', assetFileNames: 'assets/[name][extname]' },
    },
    modulePreload: { polyfill: false },
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
  },
});
