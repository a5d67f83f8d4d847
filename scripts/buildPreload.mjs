// Bundles the preload into one CommonJS file: a sandboxed preload can
// require only 'electron' (and a few Node built-ins), never npm packages or ESM.
// Usage: node scripts/buildPreload.mjs [--watch]
import { build, context } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** @type {import('esbuild').BuildOptions} */
const options = {
  absWorkingDir: root,
  entryPoints: ['preload/preload.ts'],
  outfile: 'dist/preload/preload.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['electron'],
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'info',
};

if (process.argv.includes('--watch')) {
  const watching = await context(options);
  await watching.watch();
} else {
  const result = await build({ ...options, metafile: true });
  const inputs = Object.keys(result.metafile.inputs);
  const strays = inputs.filter((input) => input.includes('node_modules'));
  if (strays.length > 0) {
    console.error(`the preload bundle must not pull in npm packages, but it includes:\n  ${strays.join('\n  ')}`);
    process.exit(1);
  }
}
