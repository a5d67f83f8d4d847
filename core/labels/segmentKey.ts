/** Which segment: a label value in one layer of a segmentation (layers may overlap; values within a layer do not). */
export interface SegmentKey {
  readonly layer: number;
  readonly value: number;
}

/** The segment's key as text, `layer:value` (e.g. `0:3`): the same in main, the renderer and exported files' tables. */
export function segmentKeyOf(s: SegmentKey): string {
  return `${s.layer}:${s.value}`;
}
