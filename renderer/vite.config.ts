import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const productPort = fileURLToPath(new URL('./testPort/testPort.ts', import.meta.url));
const windowPort = fileURLToPath(new URL('./testAid/windowTestPort.ts', import.meta.url));

/**
 * Resolves every import of testPort/testPort.ts (the product's null port) to
 * testAid/windowTestPort.ts, whatever relative path the importer used: only
 * the test build carries the test aids.
 */
function windowTestPort(): Plugin {
  return {
    name: 'axial-window-test-port',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!source.endsWith('testPort.js') && !source.endsWith('testPort.ts')) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved?.id === productPort ? windowPort : null;
    },
  };
}

/**
 * Builds the renderer with relative URLs, so the same files load from
 * file:// in Electron and from the test host: into dist/renderer for the
 * app, or with `--mode test` into dist/renderer-test with the test port that
 * publishes what the views drew (window.__axialViewState, __axialView3d) for
 * the end-to-end tests and the viewer benchmark.
 */
export default defineConfig(({ mode }) => {
  const test = mode === 'test';
  return {
    root,
    base: './',
    // @vitejs/plugin-react isn't installed: esbuild compiles the JSX itself.
    esbuild: { jsx: 'automatic' },
    plugins: test ? [windowTestPort()] : [],
    build: {
      outDir: fileURLToPath(new URL(test ? '../dist/renderer-test' : '../dist/renderer', import.meta.url)),
      // The folder is this build's alone; emptying it leaves no stale bundles.
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
  };
});
