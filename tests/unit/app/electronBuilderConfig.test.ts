import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../../repoRoot.js';

/** The built files a module loads through relative imports, transitively (needs `npm run build`). */
function relativeImportClosure(entries: readonly string[]): string[] {
  const seen = new Set<string>();
  const pending = [...entries];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    for (const match of code.matchAll(/(?:from\s*|import\s*\(\s*)'(\.{1,2}\/[^']+)'/g)) pending.push(join(dirname(file), match[1]!));
  }
  return [...seen].map((file) => relative(repoRoot, file));
}

/** Whether electron-builder's `files` take a path: in some `dir/**` include and in no exclude (a `!dir/**` folder or a `!` extension pattern). */
function packs(files: readonly string[], path: string): boolean {
  const matches = (pattern: string): boolean =>
    pattern.startsWith('**/*') ? path.endsWith(pattern.slice(4)) : pattern.endsWith('/**') ? path.startsWith(pattern.slice(0, -2)) : path === pattern;
  return files.some((p) => !p.startsWith('!') && matches(p)) && !files.some((p) => p.startsWith('!') && matches(p.slice(1)));
}

interface BuilderConfig {
  files: string[];
  asarUnpack: string[];
  extraResources: { from: string; to: string }[];
  linux: { target: string[] };
  win: { target: string[] };
  mac: { target: string[] };
  asar: boolean;
  electronFuses: Record<string, boolean>;
}

/** electron-builder cannot run here (no Electron binary): check what its config promises instead. */
describe('electron-builder.yml', () => {
  const config = parse(readFileSync(`${repoRoot}/electron-builder.yml`, 'utf8')) as BuilderConfig;
  const packageJson = JSON.parse(readFileSync(`${repoRoot}/package.json`, 'utf8')) as { main: string };

  it('builds an AppImage and a .deb, an NSIS installer and a dmg', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
  });

  it('unpacks onnxruntime-node and the codec wasm from the asar and ships models/ as extra resources', () => {
    expect(config.asarUnpack).toContain('node_modules/onnxruntime-node/**');
    expect(config.asarUnpack.some((p) => p.startsWith('node_modules/@cornerstonejs/codec-'))).toBe(true);
    expect(config.extraResources).toContainEqual({ from: 'models/demo-ct-phantom', to: 'models/demo-ct-phantom' });
    // main/app/electronMain.ts reads the click-to-segment demo from there too.
    expect(config.extraResources).toContainEqual({ from: 'models/demo-deepedit', to: 'models/demo-deepedit' });
  });

  it('packs the entry point package.json names', () => {
    expect(packageJson.main).toBe('dist/main/app/electronMain.js');
    expect(config.files).toContain('dist/main/**');
    expect(config.files).toContain('dist/preload/preload.cjs');
    expect(config.files).toContain('dist/renderer/**');
  });

  it('packs every module the app and its inference process load (dist/core too, which main imports)', () => {
    const entries = [packageJson.main, 'dist/main/segmentation/process/inferenceProcessEntry.js'].map((path) => join(repoRoot, path));
    expect(
      entries.filter((path) => !existsSync(path)),
      'run npm run build first',
    ).toEqual([]);
    const loaded = relativeImportClosure(entries);
    expect(loaded.some((path) => path.startsWith('dist/core/'))).toBe(true);
    expect(loaded.filter((path) => !packs(config.files, path))).toEqual([]);
  });

  it('flips the fuses that would let anyone use the signed binary as a Node interpreter or load unchecked code', () => {
    expect(config.asar).toBe(true);
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('ships sql.js (the recent study list) as a production dependency, its wasm resolvable from the built module and never excluded', () => {
    const { dependencies, devDependencies } = JSON.parse(readFileSync(`${repoRoot}/package.json`, 'utf8')) as Record<string, Record<string, string>>;
    expect(dependencies).toHaveProperty('sql.js');
    expect(devDependencies).not.toHaveProperty('sql.js');
    // electron-builder packs production dependencies' node_modules itself; main reads the wasm with fs, which reads inside app.asar.
    const wasm = createRequire(join(repoRoot, 'dist/main/studies/openStudyDatabase.js')).resolve('sql.js/dist/sql-wasm.wasm');
    expect(existsSync(wasm)).toBe(true);
    expect(config.files.filter((p) => p.startsWith('!') && /node_modules|wasm|sql/.test(p))).toEqual([]);
  });

  it('names only fuses electron-builder knows (a misspelt key would be ignored silently)', () => {
    const declared = readFileSync(`${repoRoot}/node_modules/app-builder-lib/out/configuration.d.ts`, 'utf8');
    const fuseOptions = /export interface FuseOptionsV1 \{([\s\S]*?)\n\}/.exec(declared)?.[1] ?? '';
    for (const key of Object.keys(config.electronFuses)) expect(fuseOptions).toMatch(new RegExp(`\\b${key}\\?:`));
  });
});
