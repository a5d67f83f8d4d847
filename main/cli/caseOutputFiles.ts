import { join, resolve } from 'node:path';
import { layerFilePaths } from './layerFilePaths.js';
import type { LayersOutput } from './parseLayersOutput.js';

/**
 * Every file a batch case writes in `outDir`: `<case>.nii.gz`, `<case>.axial.json` and its layers
 * (`<case>-<channel>.nii.gz`, see layerFilePaths), each once, the label map first.
 */
export function caseOutputFiles(name: string, outDir: string, layerNames: readonly string[], layers: LayersOutput): string[] {
  const output = join(resolve(outDir), `${name}.nii.gz`);
  return [...new Set([output, join(resolve(outDir), `${name}.axial.json`), ...layerFilePaths(layerNames, output, layers)])];
}
