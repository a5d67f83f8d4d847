import type { ModelSpec } from './ModelSpec.js';
import { stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { AxialError } from '../errors/AxialError.js';
import { readBundle } from './bundle/readBundle.js';
import { readSidecarModel } from './bundle/readSidecarModel.js';

async function kindOf(path: string): Promise<'folder' | 'file' | undefined> {
  const s = await stat(path).catch(() => undefined);
  return s?.isDirectory() ? 'folder' : s?.isFile() ? 'file' : undefined;
}

/** `<name>.axial.json`, then `<name>.onnx.axial.json`, beside the model; undefined when neither exists. */
async function findSidecar(modelPath: string): Promise<string | undefined> {
  const stem = basename(modelPath).replace(/\.onnx$/i, '');
  for (const name of [`${stem}.axial.json`, `${basename(modelPath)}.axial.json`]) {
    const candidate = join(dirname(modelPath), name);
    if ((await kindOf(candidate)) === 'file') return candidate;
  }
  return undefined;
}

/**
 * Loads what Axial needs to run a model: a folder is read as a MONAI bundle,
 * a `.onnx` file through its `.axial.json` sidecar. `configsOnly` lets a
 * bundle without its model.onnx be inspected.
 * @throws AxialError MODEL_NOT_FOUND when nothing is at `path`; MODEL_INVALID for a
 *   `.onnx` without a sidecar, any other file, or what readBundle and readSidecarModel throw.
 */
export async function loadModelSpec(path: string, options: { configsOnly?: boolean } = {}): Promise<ModelSpec> {
  const target = resolve(path);
  const kind = await kindOf(target);
  if (kind === undefined) throw new AxialError('MODEL_NOT_FOUND', 'no model bundle or ONNX file here', { file: target });
  if (kind === 'folder') return readBundle(target, options);
  if (!/\.onnx$/i.test(target)) {
    throw new AxialError('MODEL_INVALID', 'not a model: give a MONAI bundle folder or an .onnx file with an .axial.json sidecar', { file: target });
  }
  const sidecar = await findSidecar(target);
  if (sidecar === undefined) {
    const stem = basename(target).replace(/\.onnx$/i, '');
    throw new AxialError(
      'MODEL_INVALID',
      `a bare ONNX model needs a description of its pipeline beside it: ${stem}.axial.json (or ${basename(target)}.axial.json); see docs/sidecar-schema.md`,
      { file: target },
    );
  }
  return readSidecarModel(target, sidecar);
}
