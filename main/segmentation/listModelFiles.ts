import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/** Enough for any real bundle; a folder holding more (a mistaken `--model ~`) is listed this far, not walked whole. */
const maxFiles = 10_000;

/**
 * The files a model is read from, so an output can be kept off them: every
 * file under a bundle folder, or an .onnx file with the sidecars
 * (`<name>.axial.json`, `<name>.onnx.axial.json`) beside it that exist.
 * Missing paths give nothing: the model's loader reports them.
 */
export async function listModelFiles(modelPath: string): Promise<string[]> {
  const target = resolve(modelPath);
  const kind = await stat(target).catch(() => undefined);
  if (kind?.isDirectory()) return listFolder(target);
  if (!kind?.isFile()) return [];
  const stem = basename(target).replace(/\.onnx$/i, '');
  const sidecars = [`${stem}.axial.json`, `${basename(target)}.axial.json`].map((name) => join(dirname(target), name));
  const present = await Promise.all(sidecars.map(async (s) => ((await stat(s).catch(() => undefined))?.isFile() ? s : undefined)));
  return [target, ...present.filter((s): s is string => s !== undefined)];
}

async function listFolder(folder: string): Promise<string[]> {
  const files: string[] = [];
  const pending = [folder];
  while (pending.length > 0 && files.length < maxFiles) {
    const current = pending.pop()!;
    const entries = await readdir(current, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = join(current, entry.name);
      // Symlinked entries are listed as files: assertNotInput stats through them to the file they name.
      if (entry.isDirectory()) pending.push(path);
      else files.push(path);
    }
  }
  return files.slice(0, maxFiles);
}
