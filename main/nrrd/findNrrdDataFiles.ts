import { parseNrrdDataFiles } from './parseNrrdDataFiles.js';
import { parseNrrdFields } from './parseNrrdFields.js';
import { readNrrdHeaderText } from './readNrrdHeaderText.js';
import { resolveNrrdDataFiles } from './resolveNrrdDataFiles.js';

/**
 * The detached data file a `.nhdr` (or a detached `.nrrd`) names, as an absolute path after symlinks; `[]` when the
 * data is attached, or given as a LIST or range (which readNrrd refuses, so nothing is ever read from them). The same
 * confinement as reading applies, so an output guard comparing files against these sees exactly the file a read would open.
 * @throws AxialError INPUT_PATH_OUTSIDE_FOLDER naming the header and the path that leads out of its folder;
 *   INPUT_NOT_FOUND, INPUT_UNREADABLE or INPUT_NOT_A_FILE for the header; NRRD_BAD_MAGIC; NRRD_BAD_HEADER for
 *   a malformed data file field or a header with no end in its first MiB.
 */
export async function findNrrdDataFiles(headerPath: string): Promise<string[]> {
  const { text } = await readNrrdHeaderText(headerPath);
  const { form, names } = parseNrrdDataFiles(parseNrrdFields(text), headerPath);
  return form === 'list' || form === 'range' ? [] : resolveNrrdDataFiles(headerPath, names);
}
