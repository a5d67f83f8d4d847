import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { debianPython } from '../../../python.js';

/** One model a generator script wrote, with an input shape to run it on. */
export interface ExportedModel {
  readonly name: string;
  readonly file: string;
  readonly shape: readonly number[];
}

/**
 * Runs one of this folder's torch export scripts (e.g. makeConvTransposeModels.py) with Debian's Python into
 * `dir`, and returns the models it lists on its last line of output, by name.
 */
export function exportTorchModels(scriptName: string, dir: string): Map<string, ExportedModel> {
  // The specs run from dist/; the scripts stay beside the sources.
  const script = fileURLToPath(new URL(scriptName, import.meta.url)).replace(`${join('dist', '')}`, '');
  const out = execFileSync(debianPython, [script, dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return new Map((JSON.parse(out.trim().split('\n').pop()!) as ExportedModel[]).map((m) => [m.name, m]));
}
