import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { AxialError, isAxialError } from '../../errors/AxialError.js';
import { readConfigText } from './readConfigText.js';

/**
 * Reads and parses a bundle config: JSON for `.json`, YAML otherwise. The
 * root must be a mapping.
 * @throws AxialError MODEL_INVALID when the file cannot be read, is too large, is not valid JSON or YAML, or its root is not a mapping;
 *   INPUT_NOT_A_FILE for a FIFO, device or folder.
 */
export async function readConfigFile(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readConfigText(file);
  } catch (error) {
    if (isAxialError(error)) throw error;
    throw new AxialError('MODEL_INVALID', `cannot be read: ${(error as Error).message}`, { file, cause: error });
  }
  const kind = extname(file).toLowerCase() === '.json' ? 'JSON' : 'YAML';
  let config: unknown;
  try {
    config = kind === 'JSON' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new AxialError('MODEL_INVALID', `not valid ${kind}: ${(error as Error).message}`, { file, cause: error });
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new AxialError('MODEL_INVALID', 'the config is not a mapping of keys to values', { file });
  }
  return config as Record<string, unknown>;
}
