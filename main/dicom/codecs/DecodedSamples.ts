/**
 * What a codec hands back: its own idea of the image size, and one sample per pixel, row by row.
 * decodeFrame checks the size against the DICOM header and turns samples into stored values.
 */
export interface DecodedSamples {
  columns: number;
  rows: number;
  componentCount: number;
  samples: Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array;
}
