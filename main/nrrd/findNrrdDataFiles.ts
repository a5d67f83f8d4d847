import { parseNrrdDataFiles } from './parseNrrdDataFiles.js';
import { parseNrrdFields } from './parseNrrdFields.js';
import { readNrrdHeaderText } from './readNrrdHeaderText.js';
import { resolveNrrdDataFiles } from './resolveNrrdDataFiles.js';

/**
 * The detached data files a `.nhdr` (or a detached `.nrrd`) names, as absolute paths after symlinks, in the order
 * their data follows; `[]` when the data is attached. The same confinement as reading applies, so an output
 * guard comparing files against these sees exactly the files a read would open.
 * @throws AxialError INPUT_PATH_OUTSIDE_FOLDER naming the header and the path that leads out of its folder;
 *   INPUT_NOT_FOUND, INPUT_UNREADABLE or INPUT_NOT_A_FILE for the header; NRRD_BAD_MAGIC; NRRD_BAD_HEADER for
 *   a malformed data file field or a header with no end in its first MiB.
 */
export async function findNrrdDataFiles(headerPath: string): Promise<string[]> {
  const { text } = await readNrrdHeaderText(headerPath);
  return resolveNrrdDataFiles(headerPath, parseNrrdDataFiles(parseNrrdFields(text), headerPath).names);
}
