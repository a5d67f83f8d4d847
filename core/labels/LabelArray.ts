/** A label map's voxels (i fastest, then j, then k): 8-bit up to 255 labels, 16-bit up to 65535. */
export type LabelArray = Uint8Array | Uint16Array;
