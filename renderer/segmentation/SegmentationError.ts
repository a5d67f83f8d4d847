/** Stable codes of {@link SegmentationError}. */
export type SegmentationErrorCode =
  'SEGMENT_NOT_FOUND' | 'INVALID_SEGMENT' | 'INVALID_ARGUMENT' | 'LAYER_SIZE_MISMATCH' | 'NO_FREE_VALUE' | 'NO_SCAN_VALUES' | 'REENTRANT_UPDATE';

/** A segmentation command or store set-up that cannot be carried out; nothing was changed. */
export class SegmentationError extends Error {
  constructor(
    readonly code: SegmentationErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SegmentationError';
  }
}
