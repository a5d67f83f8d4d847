import { basename, dirname, relative, resolve } from 'node:path';
import { AxialError } from '../errors/AxialError.js';
import { caseNameKey } from './caseNameKey.js';
import { caseOutputFiles } from './caseOutputFiles.js';
import type { LayersOutput } from './parseLayersOutput.js';

/** What checkBatchOutputs needs of a case: the name its files take. */
interface NamedCase {
  readonly name: string;
}

/**
 * Checks, before any case runs, that every case writes only inside `outDir` and that no case's file is another's:
 * `<case>.nii.gz`, `<case>.axial.json` and its layers' `<case>-<channel>.nii.gz` (case "a" with layer "whole-tumor"
 * against a case "a-whole-tumor"). Names are compared as caseNameKey does (ignoring letter case and Unicode
 * normalisation, as macOS does).
 * @throws AxialError CLI_USAGE naming the batch list for a file outside `outDir` or two cases' files that clash.
 */
export function checkBatchOutputs(cases: readonly NamedCase[], layerNames: readonly string[], layers: LayersOutput, outDir: string, list: string): void {
  const folder = resolve(outDir);
  const owners = new Map<string, { name: string; file: string }>();
  for (const c of cases) {
    for (const file of caseOutputFiles(c.name, folder, layerNames, layers)) {
      if (dirname(resolve(file)) !== folder) {
        throw new AxialError('CLI_USAGE', `case "${c.name}" would write ${file}, outside --out-dir ${outDir}`, { file: list });
      }
      const key = caseNameKey(basename(file));
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
