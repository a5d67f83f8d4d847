/**
 * The key under which two case names are one file name on some disk --out-dir may be on: macOS (APFS, HFS+) and
 * Windows ignore letter case, and macOS also Unicode normalisation ("café" typed as é or as e and a combining accent).
 * Every clash check of a batch's names compares these keys, so they agree with each other.
 */
export function caseNameKey(name: string): string {
  return name.normalize('NFC').toLowerCase().normalize('NFC');
}
