import type { DicomSlice } from './DicomSeries.js';

/** A slice's ImagePositionPatient to the µm, as text: slices with the same key lie at the same position. */
export function slicePositionKey(slice: DicomSlice): string {
  return slice.geometry.position.map((v) => v.toFixed(3)).join(',');
}
