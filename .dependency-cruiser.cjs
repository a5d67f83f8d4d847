/**
 * Axial's layers, checked by `npm run lint:layers` (dependency-cruiser) in `npm test` and CI.
 *
 *   core/      pure: the IPC contract, geometry, labels. Imports only core/ and zod.
 *   main/      Node: imports core/, never renderer/. Only main/app/ touches Electron.
 *              main/volume/ is its bottom layer: it imports only core/ and main/errors/; its other
 *              folders import only those below them (mainLayers).
 *   preload/   the bridge: Electron plus types from core/ (a type import leaves zod out of the sandboxed bundle).
 *   renderer/  a browser program: core/ and npm packages; never main/, preload/, Node built-ins or Electron.
 *   tests/     may import anything, but nothing in the product imports tests/.
 *
 * Type-only imports count (tsPreCompilationDeps): a type names the module that owns it, so
 * `import type` is as much a layering arrow as a value import, and a cycle made of type
 * imports is still two modules that each know about the other.
 *
 * tests/unit/architecture/layerRules.test.ts feeds deliberate violations to these rules.
 */

/** npm packages resolve under some node_modules/ (the repo's, or a linked one in a test tree). */
const npm = (name) => `(^|/)node_modules/${name}/`;

/** The renderer's own code; renderer/vite.config.ts is a build script that runs in Node. */
const renderer = { path: '^renderer/', pathNot: '^renderer/vite\\.config\\.ts$' };

/**
 * main's folders bottom up: each imports only the folders before it (and core/). The one arrow
 * the other way is deliberate: io/assertNotInput asks nrrd/ for a detached header's data files,
 * so no writer can forget to guard them.
 */
const mainLayers = [
  'errors',
  'volume',
  'io',
  'dicom|nifti|nrrd',
  'decode',
  'input',
  'segmentation',
  'dicomSeg',
  'labels',
  'measurements|recovery',
  'studies',
  'loader',
  'services',
  'cli',
  'app',
];
// main/volume/ has its own, stricter rule (volume-at-bottom-of-main).
const mainLayerRules = mainLayers.slice(0, -1).flatMap((layer, n) =>
  layer === 'volume'
    ? []
    : [
        {
          name: 'main-layers-downward',
          severity: 'error',
          comment: `main/${layer}/ imports only the layers below it: never ${mainLayers.slice(n + 1).join(', ')}.`,
          from: { path: `^main/(${layer})/` },
          // The one deliberate upward arrow (see above), and only it.
          to: { path: `^main/(${mainLayers.slice(n + 1).join('|')})/`, pathNot: '^main/nrrd/findNrrdDataFiles[.]ts$' },
        },
      ],
);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Cycles, type-only ones included, hide which module owns what: move the shared piece down to the module both can import.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve would slip past every other rule here (tsc catches most; this keeps the rules honest).',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'core-no-node-builtins',
      severity: 'error',
      comment: 'core/ is pure, built by both the Node and the browser projects: no node: built-ins.',
      from: { path: '^core/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'core-imports-only-core',
      severity: 'error',
      comment: "core/ imports nothing outside core/ but zod (the contract's runtime schemas).",
      from: { path: '^core/' },
      to: { pathNot: [`^core/`, npm('zod')], dependencyTypesNot: ['core'] },
    },
    {
      name: 'renderer-not-to-main',
      severity: 'error',
      comment: 'The renderer is a browser program: it reaches main only through the contract (core/contract.ts) and window.axial.',
      from: renderer,
      to: { path: '^main/' },
    },
    {
      name: 'renderer-not-to-preload',
      severity: 'error',
      comment: 'The preload is a separate sandboxed bundle; the renderer sees it only as window.axial, typed by core/contract.ts.',
      from: renderer,
      to: { path: '^preload/' },
    },
    {
      name: 'renderer-no-node-builtins',
      severity: 'error',
      comment: 'The renderer runs sandboxed in a browser page: no node: built-ins.',
      from: renderer,
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'main-not-to-renderer',
      severity: 'error',
      comment: 'main runs in Node; what both sides need lives in core/.',
      from: { path: '^main/' },
      to: { path: '^renderer/' },
    },
    {
      name: 'electron-only-in-main-app-and-preload',
      severity: 'error',
      comment: 'Only main/app/ (the Electron glue) and preload/ import electron, so the CLI, the engine and the test host run in plain Node.',
      from: { pathNot: '^(main/app|preload|tests)/' },
      to: { path: [npm('electron'), '^electron$'] },
    },
    {
      name: 'preload-only-core-types-and-electron',
      severity: 'error',
      comment: 'The sandboxed preload can require nothing but electron: it imports electron and, from core/, only types.',
      from: { path: '^preload/' },
      to: { pathNot: ['^preload/', '^core/', npm('electron'), '^electron$'] },
    },
    {
      name: 'preload-core-types-only',
      severity: 'error',
      comment: 'A value import from core/ would bundle zod into the sandboxed preload: use `import type`.',
      from: { path: '^preload/' },
      to: { path: '^core/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'volume-at-bottom-of-main',
      severity: 'error',
      comment: 'main/volume/ is the bottom of main: it imports only core/ and main/errors/, so every reader and the engine can import it.',
      from: { path: '^main/volume/' },
      to: { pathNot: '^(core|main/volume|main/errors)/' },
    },
    {
      name: 'renderer-not-to-test-aid',
      severity: 'error',
      comment: 'renderer/testAid/ is in the test build only (vite --mode test puts it in place of testPort/testPort.ts): product code never imports it.',
      from: { path: '^renderer/', pathNot: '^renderer/(testAid/|vite[.]config[.]ts$)' },
      to: { path: '^renderer/testAid/' },
    },
    ...mainLayerRules,
    {
      name: 'main-folder-in-layers',
      severity: 'error',
      comment: 'Every folder of main/ has its place in mainLayers, so the ordering rules see it.',
      from: { path: '^main/', pathNot: `^main/(${mainLayers.join('|')})/` },
      to: {},
    },
    {
      name: 'product-not-to-tests',
      severity: 'error',
      comment: 'Test aids reach the product through an injected port; product code never imports tests/.',
      from: { path: '^(core|main|preload|renderer)/' },
      to: { path: '^tests/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|bench-results|test-results|docs)/' },
    // Type-only imports are layering arrows too (see the header).
    tsPreCompilationDeps: true,
    // Resolves the NodeNext `./x.js` specifiers to the `./x.ts` sources.
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.tsx', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
