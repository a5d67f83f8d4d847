import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { AxialError, isAxialError } from '../../errors/AxialError.js';
import { checkConfigNesting } from './checkConfigNesting.js';
import { pyyamlTags } from './pyyamlTags.js';
import { readConfigText } from './readConfigText.js';

/**
 * Reads and parses a bundle config: JSON for `.json`, YAML otherwise (resolved as PyYAML, which MONAI uses, does). The
 * root must be a mapping, nested no deeper than checkConfigNesting allows (checked once here, so every later
 * walk over it may recurse). `unreadable` starts the message when the file cannot be read.
 * @throws AxialError MODEL_INVALID when the file cannot be read, is too large, is not valid JSON or YAML, is nested too deep,
 *   or its root is not a mapping;
 *   INPUT_NOT_A_FILE for a FIFO, device or folder.
 */
export async function readConfigFile(file: string, unreadable = 'cannot be read'): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readConfigText(file);
  } catch (error) {
    if (isAxialError(error)) throw error;
    throw new AxialError('MODEL_INVALID', `${unreadable}: ${(error as Error).message}`, { file, cause: error });
  }
  const kind = extname(file).toLowerCase() === '.json' ? 'JSON' : 'YAML';
  let config: unknown;
  try {
    // MONAI reads YAML with PyYAML (YAML 1.1: `yes`/`no`/`on`/`off` are booleans), not by YAML 1.2's rules.
    config = kind === 'JSON' ? JSON.parse(text) : parseYaml(text, { version: '1.1', customTags: pyyamlTags });
  } catch (error) {
    throw new AxialError('MODEL_INVALID', `not valid ${kind}: ${(error as Error).message}`, { file, cause: error });
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new AxialError('MODEL_INVALID', 'the config is not a mapping of keys to values', { file });
  }
  checkConfigNesting(config, file);
  return config as Record<string, unknown>;
}
