import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../repoRoot.js';

/** What dependency-cruiser's JSON reporter says about one violation (the part these tests read). */
interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

interface Cruise {
  status: number | null;
  violations: Violation[];
  stderr: string;
}

/** Files by path; a fresh temp folder is made of them, with the repo's node_modules linked in so npm imports resolve. */
type Tree = Record<string, string>;

const folders: string[] = [];
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

function writeTree(files: Tree): string {
  const root = mkdtempSync(join(tmpdir(), 'axial-layers-'));
  folders.push(root);
  symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  // The config reads tsconfig.json (as in the repo) to resolve `./x.js` specifiers to `./x.ts`.
  const tsconfig = { compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', jsx: 'react-jsx', strict: true } };
  const all: Tree = { 'tsconfig.json': JSON.stringify(tsconfig), ...files };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/**
 * Runs `npm run lint:layers` as package.json spells it (the folders it names, our config), in `root`.
 * Through the CLI in a child process: exactly what `npm test` runs.
 */
function cruise(root: string): Cruise {
  const script = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['lint:layers']!;
  const [, ...args] = script.split(/\s+/);
  const configAt = args.indexOf('--config') + 1;
  args[configAt] = join(repoRoot, args[configAt]!);
  for (const folder of args.slice(configAt + 1)) mkdirSync(join(root, folder), { recursive: true });
  const bin = join(repoRoot, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
  // Twice: the script as it is (its exit status is what fails `npm test`; the JSON reporter always exits 0), then for JSON to read.
  const plain = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8' });
  const json = spawnSync(process.execPath, [bin, ...args, '--output-type', 'json'], { cwd: root, encoding: 'utf8' });
  const violations = json.stdout ? (JSON.parse(json.stdout) as { summary: { violations: Violation[] } }).summary.violations : [];
  return { status: plain.status, violations, stderr: plain.stderr + json.stderr };
}

/** `rule from → to`, one line per violation; a cycle is named by its first module. */
const lines = (violations: Violation[]): string[] => violations.map((v) => `${v.rule.name} ${v.from} → ${v.to}`).sort();

/** A source file of these lines. */
const source = (...lines: string[]): string => `${lines.join('\n')}\n`;

const allowed: Tree = {
  'core/contract.ts': source(
    "import { z } from 'zod';",
    "import type { Vec3 } from './geometry/vec3.js';",
    'export const id = z.string();',
    'export type Point = Vec3;',
  ),
  'core/geometry/vec3.ts': source('export type Vec3 = [number, number, number];'),
  'main/errors/AxialError.ts': source('export class AxialError extends Error {}'),
  'main/volume/Volume.ts': source(
    "import type { Vec3 } from '../../core/geometry/vec3.js';",
    "import { AxialError } from '../errors/AxialError.js';",
    'export const origin: Vec3 = [0, 0, 0];',
    'export const fail = (): never => {',
    '  throw new AxialError();',
    '};',
  ),
  'main/dicom/readDicom.ts': source(
    "import { readFile } from 'node:fs/promises';",
    "import { origin } from '../volume/Volume.js';",
    'export const read = () => [readFile, origin];',
  ),
  'main/app/electronMain.ts': source(
    "import { app } from 'electron';",
    "import { id } from '../../core/contract.js';",
    "import { read } from '../dicom/readDicom.js';",
    'export const x = [app, id, read];',
  ),
  'preload/preload.ts': source(
    "import { contextBridge } from 'electron';",
    "import type { Point } from '../core/contract.js';",
    'export const p: Point | null = null;',
    'export const b = contextBridge;',
  ),
  'renderer/App.tsx': source(
    "import { useState } from 'react';",
    "import { id, type Point } from '../core/contract.js';",
    'export function App(): null {',
    '  useState<Point | null>(null);',
    "  id.parse('a');",
    '  return null;',
    '}',
  ),
  // A build script beside the renderer runs in Node.
  'renderer/vite.config.ts': source("import { fileURLToPath } from 'node:url';", "export const root = fileURLToPath(new URL('.', import.meta.url));"),
  'renderer/testAid/windowTestPort.ts': 'export const testPort = { sceneShown: () => undefined };\n',
  // Tests may import anything.
  'tests/unit/anything.test.ts': source(
    "import { readFileSync } from 'node:fs';",
    "import { app } from 'electron';",
    "import { read } from '../../main/dicom/readDicom.js';",
    "import { App } from '../../renderer/App.js';",
    'export const all = [readFileSync, app, read, App];',
  ),
};

/** One file per rule, each breaking exactly that rule, over the allowed tree (which the rules accept). */
const violating: Tree = {
  ...allowed,
  'renderer/views/leak.ts': "import { read } from '../../main/dicom/readDicom.js';\nexport const leak = read;\n",
  'renderer/views/bridge.ts': "import { b } from '../../preload/preload.js';\nexport const bridge = b;\n",
  'renderer/views/disk.ts': "import { readFileSync } from 'node:fs';\nexport const disk = readFileSync;\n",
  'renderer/views/aid.ts': "import { testPort } from '../testAid/windowTestPort.js';\nexport const aid = testPort;\n",
  'renderer/views/window.ts': "import { BrowserWindow } from 'electron';\nexport const w = BrowserWindow;\n",
  'core/geometry/readsDisk.ts': "import { readFileSync } from 'node:fs';\nexport const disk = readFileSync;\n",
  'core/labels/yamlLabels.ts': "import { parse } from 'yaml';\nexport const labels = parse;\n",
  'main/cli/gui.ts': "import { dialog } from 'electron';\nexport const d = dialog;\n",
  'main/services/draw.ts': "import { App } from '../../renderer/App.js';\nexport const draw = App;\n",
  'main/stray/loose.ts': "import { origin } from '../volume/Volume.js';\nexport const loose = origin;\n",
  'main/dicom/drawsLabels.ts': "import { x } from '../app/electronMain.js';\nexport const up = x;\n",
  'main/volume/decode.ts': "import { read } from '../dicom/readDicom.js';\nexport const decode = read;\n",
  'main/segmentation/aid.ts': "import { all } from '../../tests/unit/anything.test.js';\nexport const aid = all;\n",
  'main/segmentation/typo.ts': "import { nothing } from './nowhere.js';\nexport const typo = nothing;\n",
  'preload/values.ts': "import { id } from '../core/contract.js';\nexport const v = id;\n",
  'preload/react.ts': "import { useState } from 'react';\nexport const s = useState;\n",
  // A cycle with one type-only arrow, as renderer/state's mprState ↔ viewerState was: it still counts.
  'renderer/state/mprState.ts':
    "import type { ViewerState } from './viewerState.js';\nexport type MprState = { of?: ViewerState };\nexport const initial = {};\n",
  'renderer/state/viewerState.ts':
    "import { initial, type MprState } from './mprState.js';\nexport type ViewerState = { mpr: MprState };\nexport const start = initial;\n",
};

describe('the layer rules (.dependency-cruiser.cjs), run as `npm run lint:layers` on small trees', () => {
  it('accept the allowed layering: core ← main ← main/app, core ← renderer, electron in main/app and preload, tests import anything', () => {
    const result = cruise(writeTree(allowed));
    expect(result.stderr).not.toMatch(/ERROR/);
    expect(lines(result.violations)).toEqual([]);
    expect(result.status).toBe(0);
  });

  it('report each deliberate violation by the rule it breaks, and fail', () => {
    const result = cruise(writeTree(violating));
    const found = lines(result.violations).map((line) => line.replace(/ → (node:)?fs$/, ' → fs').replace(/ → \S*node_modules\/([^/]+)\/\S*$/, ' → $1'));
    expect(found.filter((line) => !line.startsWith('no-circular '))).toEqual(
      [
        'core-imports-only-core core/labels/yamlLabels.ts → yaml',
        'core-no-node-builtins core/geometry/readsDisk.ts → fs',
        'electron-only-in-main-app-and-preload main/cli/gui.ts → electron',
        'electron-only-in-main-app-and-preload renderer/views/window.ts → electron',
        'main-folder-in-layers main/stray/loose.ts → main/volume/Volume.ts',
        'main-layers-downward main/dicom/drawsLabels.ts → main/app/electronMain.ts',
        'main-not-to-renderer main/services/draw.ts → renderer/App.tsx',
        'not-to-unresolvable main/segmentation/typo.ts → ./nowhere.js',
        'preload-core-types-only preload/values.ts → core/contract.ts',
        'preload-only-core-types-and-electron preload/react.ts → react',
        'product-not-to-tests main/segmentation/aid.ts → tests/unit/anything.test.ts',
        'renderer-no-node-builtins renderer/views/disk.ts → fs',
        'renderer-not-to-main renderer/views/leak.ts → main/dicom/readDicom.ts',
        'renderer-not-to-preload renderer/views/bridge.ts → preload/preload.ts',
        'renderer-not-to-test-aid renderer/views/aid.ts → renderer/testAid/windowTestPort.ts',
        'volume-at-bottom-of-main main/volume/decode.ts → main/dicom/readDicom.ts',
      ].sort(),
    );
    const cycles = found.filter((line) => line.startsWith('no-circular '));
    expect(cycles).toHaveLength(1);
    expect(cycles[0]).toMatch(/^no-circular renderer\/state\/(mprState|viewerState)\.ts → renderer\/state\/(viewerState|mprState)\.ts$/);
    expect(result.status).not.toBe(0);
  });
});
