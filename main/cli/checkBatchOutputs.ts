import { dirname, join, relative, resolve } from 'node:path';
import { AxialError } from '../errors/AxialError.js';
import { layerFilePaths } from './layerFilePaths.js';
import type { LayersOutput } from './parseLayersOutput.js';

/** What checkBatchOutputs needs of a case: the name its files take. */
interface NamedCase {
  readonly name: string;
}

/**
 * Checks, before any case runs, that every case writes only inside `outDir` and that no case's file is another's:
 * `<case>.nii.gz`, `<case>.axial.json` and its layers' `<case>-<channel>.nii.gz` (case "a" with layer "whole-tumor"
 * against a case "a-whole-tumor"). Names are compared ignoring case, as macOS and Windows file systems do.
 * @throws AxialError CLI_USAGE naming the batch list for a file outside `outDir` or two cases' files that clash.
 */
export function checkBatchOutputs(cases: readonly NamedCase[], layerNames: readonly string[], layers: LayersOutput, outDir: string, list: string): void {
  const folder = resolve(outDir);
  const owners = new Map<string, { name: string; file: string }>();
  for (const c of cases) {
    const output = join(folder, `${c.name}.nii.gz`);
    for (const file of [output, join(folder, `${c.name}.axial.json`), ...new Set(layerFilePaths(layerNames, output, layers))]) {
      if (dirname(resolve(file)) !== folder) {
        throw new AxialError('CLI_USAGE', `case "${c.name}" would write ${file}, outside --out-dir ${outDir}`, { file: list });
      }
      const key = file.toLowerCase();
      const other = owners.get(key);
      if (other && other.name !== c.name) {
        throw new AxialError(
          'CLI_USAGE',
          `cases "${other.name}" and "${c.name}" would both write ${relative(folder, file)} (a layer file is <case>-<channel>.nii.gz): rename one of them`,
          { file: list },
        );
      }
      owners.set(key, { name: c.name, file });
    }
  }
}
