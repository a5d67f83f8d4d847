import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AxialError, isAxialError } from '../../errors/AxialError.js';
import { resolveInsideFolder } from '../../io/resolveInsideFolder.js';
import { readConfigFile } from './readConfigFile.js';
import { configFilePattern } from './resolveBundleConfig.js';

/** Distinct files a config's macros may name; MONAI bundles name one or two. */
const maxMacroFiles = 8;

interface MacroReference {
  /** The macro as written, for messages. */
  readonly macro: string;
  /** Where it stands in the config, `#`-separated. */
  readonly id: string;
}

/**
 * Reads every other config file that a config's `%file#key` macros name,
 * looked for beside the bundle root and under configs/ (as MONAI bundles
 * write them), and returns a reader for resolveBundleConfig. A file must
 * resolve, after symlinks, inside the bundle folder, and be a regular file:
 * a macro must not read /etc/passwd or a FIFO. One that is missing reads as
 * undefined, and the macro is reported where it is used.
 * @param config the config as parsed (macros are not recursive, so only its own are read).
 * @param root the bundle folder.
 * @param file the config file, for messages.
 * @throws AxialError INPUT_PATH_OUTSIDE_FOLDER naming the macro and where its file leads; MODEL_INVALID for a file that
 *   cannot be parsed, or more than {@link maxMacroFiles} files; INPUT_NOT_A_FILE for a FIFO, device or folder.
 */
export async function readMacroConfigs(config: unknown, root: string, file: string): Promise<(path: string) => unknown> {
  const references = findMacroFiles(config);
  if (references.size > maxMacroFiles) {
    throw new AxialError('MODEL_INVALID', `macros name ${references.size} other config files; Axial reads up to ${maxMacroFiles}`, { file });
  }
  const configs = new Map<string, unknown>();
  for (const [path, reference] of references) configs.set(path, await readMacroFile(path, reference, root, file));
  return (path) => configs.get(path);
}

/** Each distinct file named by a macro, with the first macro naming it. Walks without recursion: the nesting is not checked yet. */
function findMacroFiles(config: unknown): Map<string, MacroReference> {
  const found = new Map<string, MacroReference>();
  const pending: { node: unknown; id: string }[] = [{ node: config, id: '' }];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const { node, id } = item;
    if (typeof node === 'string') {
      const path = node.startsWith('%') ? configFilePattern.exec(node.slice(1))?.[1] : undefined;
      if (path !== undefined && !found.has(path)) found.set(path, { macro: node, id });
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) pending.push({ node: value, id: id === '' ? key : `${id}#${key}` });
    }
  }
  return found;
}

/** The first candidate that exists, parsed; undefined when none does. */
async function readMacroFile(path: string, reference: MacroReference, root: string, file: string): Promise<unknown> {
  const what = `macro "${reference.macro}" (at ${reference.id}): file`;
  for (const name of [path, join('configs', path)]) {
    let target: string;
    try {
      target = await resolveInsideFolder({ folder: root, name, file, what });
    } catch (error) {
      // A path that leads out but names nothing is only a macro Axial cannot read; one that names a file is refused.
      if (isAxialError(error) && error.code === 'INPUT_PATH_OUTSIDE_FOLDER' && (await exists(resolve(root, name)))) throw error;
      if (isAxialError(error)) continue;
      throw error;
    }
    if (await exists(target)) return readConfigFile(target);
  }
  return undefined;
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}
