import { AxialError } from '../errors/AxialError.js';

/** Longer than any file-name part a case needs, well inside every file system's 255 bytes with its suffixes. */
const maxCaseName = 128;

/**
 * A batch list's `case` names its output files inside --out-dir (`<case>.nii.gz`, `<case>.axial.json`): it must be
 * one plain file-name part, so a list cannot write elsewhere (`../../escaped`) or hide its outputs. A name taken
 * from an input's path (`fromPath`) is already a file name here: it is spared only the Windows rules.
 * @throws AxialError CLI_USAGE naming the list and `where` (its line or case number) for an empty name, a leading
 *   ".", a control character or more than 128 characters; unless `fromPath`, also a name with / or \, "..", or what
 *   Windows refuses or reads otherwise (: < > " | ? *, a trailing "." or space, CON, NUL, COM1...).
 */
export function checkCaseName(name: string, file: string, where: string, fromPath = false): void {
  // [found, what is wrong, whether a name taken from a path can have it]
  const problems: readonly [boolean, string, boolean][] = [
    // A text list's line "/" names no file: its outputs would be the hidden ".nii.gz" and ".axial.json".
    [name.length === 0, 'is empty', true],
    [/[/\\]/.test(name), 'holds a / or \\', false],
    [name.includes('..'), 'holds ".."', false],
    [name.startsWith('.'), 'starts with "."', true],
    [/[\u0000-\u001f\u007f-\u009f]/.test(name), 'holds a control character', true],
    [name.length > maxCaseName, `is ${name.length} characters long (at most ${maxCaseName})`, true],
    // Windows: ":" names an NTFS stream of another file, these characters are refused, a trailing "." or space is dropped.
    [/[:<>"|?*]/.test(name), 'holds one of : < > " | ? * (not allowed in Windows file names)', false],
    [/[. ]$/.test(name), 'ends with "." or a space (Windows drops them)', false],
    [/^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\.|$)/i.test(name), 'is a device name on Windows', false],
  ];
  const problem = problems.find(([found, , fromPaths]) => found && (fromPaths || !fromPath))?.[1];
  if (problem) {
    throw new AxialError('CLI_USAGE', `${where}: the case name ${JSON.stringify(name.slice(0, 64))} ${problem}; it names files inside --out-dir`, { file });
  }
}
