import { basename, dirname, relative, resolve } from 'node:path';
import { AxialError } from '../errors/AxialError.js';
import { fileIdentity } from '../io/fileIdentity.js';
import { caseNameKey } from './caseNameKey.js';
import { caseOutputFiles } from './caseOutputFiles.js';
import type { LayersOutput } from './parseLayersOutput.js';

/**
 * Checks, before any case runs, that no case would write one of the model's own files kept in --out-dir (a bare
 * `m.onnx` there has its sidecar `m.axial.json`, which a case named "m" would write). Each case's write refuses it
 * too, but only once its label map is written. Folders are compared by identity (a symlinked --out-dir), names as
 * caseNameKey does.
 * @throws AxialError OUTPUT_IS_INPUT naming the case, the file and the model's file.
 */
export async function checkCasesOffModel(
  cases: readonly { readonly name: string }[],
  layerNames: readonly string[],
  layers: LayersOutput,
  outDir: string,
  modelFiles: readonly string[],
): Promise<void> {
  const outId = await fileIdentity(outDir);
  if (outId === undefined) return;
  const folderIds = new Map<string, string | undefined>();
  const inOutDir = new Map<string, string>();
  for (const file of modelFiles) {
    const folder = dirname(resolve(file));
    if (!folderIds.has(folder)) folderIds.set(folder, await fileIdentity(folder));
    if (folderIds.get(folder) === outId) inOutDir.set(caseNameKey(basename(file)), file);
  }
  if (inOutDir.size === 0) return;
  for (const c of cases) {
    for (const file of caseOutputFiles(c.name, outDir, layerNames, layers)) {
      const modelFile = inOutDir.get(caseNameKey(basename(file)));
      if (modelFile === undefined) continue;
      throw new AxialError(
        'OUTPUT_IS_INPUT',
        `case "${c.name}" would write ${relative(resolve(outDir), file)}, the model's own file ${modelFile}: ` +
          'keep the model outside --out-dir or rename the case',
        { file: outDir },
      );
    }
  }
}
