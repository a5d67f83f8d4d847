import { AxialError } from '../../errors/AxialError.js';

/** Nesting of lists and mappings a config file may have as written; MONAI's stay under 10. */
export const maxConfigNesting = 100;

/**
 * Refuses parsed config data nested deeper than {@link maxConfigNesting},
 * walking it without recursion: JSON.parse accepts any depth, and everything
 * after it (macro expansion, resolution, schema checks) recurses.
 * @param file the file it was read from, for the message.
 * @throws AxialError MODEL_INVALID naming the top-level key under which it nests too deep.
 */
export function checkConfigNesting(root: unknown, file: string | undefined): void {
  const stack: { node: unknown; depth: number; key: string }[] = [{ node: root, depth: 0, key: '' }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { node, depth, key } = item;
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= maxConfigNesting) {
      const where = key === '' ? 'the config' : `"${key}"`;
      throw new AxialError('MODEL_INVALID', `${where} nests lists and mappings more than ${maxConfigNesting} deep`, file === undefined ? {} : { file });
    }
    for (const [k, v] of Object.entries(node)) stack.push({ node: v, depth: depth + 1, key: key === '' ? k : key });
  }
}
