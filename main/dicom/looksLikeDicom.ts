/**
 * Whether bytes start like a DICOM file: Part 10 files say DICM at byte 128; older files, and data sets saved
 * without the file header, start with a group 0008 (or 0002) tag. A sniff, cheap enough for every file of a folder:
 * the parser decides.
 */
export function looksLikeDicom(bytes: Uint8Array): boolean {
  if (bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d) {
    return true;
  }
  return bytes.length >= 8 && (bytes[0] === 0x08 || bytes[0] === 0x02) && bytes[1] === 0x00 && bytes[3] === 0x00;
}
