import type { LayersOutput } from './parseLayersOutput.js';

/** `Whole tumor` → `whole-tumor`: a file-name part of letters, digits and dashes. */
function slug(name: string, index: number): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s || `channel-${index}`;
}

/**
 * Where each layer of a multi-label result is written beside `output` (`<stem>-<channel>.nii.gz`, or every layer in
 * `<stem>-layers.nii.gz` for 4d; none for none), known from the layers' names alone so that a run can refuse a
 * clash before the model runs.
 */
export function layerFilePaths(names: readonly string[], output: string, how: LayersOutput): string[] {
  if (how === 'none') return [];
  const stem = output.replace(/\.nii(\.gz)?$/i, '');
  const extension = /\.gz$/i.test(output) ? '.nii.gz' : '.nii';
  if (how === '4d') return names.map(() => `${stem}-layers${extension}`);
  const used = new Set<string>();
  return names.map((name, t) => {
    let part = slug(name, t);
    // Two channels of one name (or names that slug alike) still get a file each.
    if (used.has(part)) part = `${part}-${t}`;
    used.add(part);
    return `${stem}-${part}${extension}`;
  });
}
