/** The longest segment name kept, in characters (as the segment table and DICOM SEG's SegmentLabel allow). */
export const maxLabelNameLength = 64;

/**
 * A segment name read from a file, made safe to show and to write back: control and
 * format characters (a crafted name could reorder or hide text) and quotes (ITK-SNAP's
 * delimiters) removed, runs of white space made one space, cut to 64 characters.
 * Returns '' when nothing printable is left.
 */
export function sanitiseLabelName(raw: string): string {
  const cleaned = raw
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}"]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return [...cleaned].slice(0, maxLabelNameLength).join('').trim();
}
