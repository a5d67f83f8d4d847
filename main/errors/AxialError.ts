/**
 * Every failure Axial reports on purpose carries one of these codes. They are
 * part of the CLI's and the IPC contract's interface: add codes, never rename.
 */
export type AxialErrorCode =
  | 'INPUT_NOT_FOUND'
  | 'INPUT_UNREADABLE'
  | 'INPUT_UNKNOWN_FORMAT'
  | 'INPUT_NOT_A_FILE'
  | 'INPUT_PATH_OUTSIDE_FOLDER'
  | 'INPUT_TOO_LARGE'
  | 'INPUT_SEVERAL_SERIES'
  | 'OUTPUT_UNSUPPORTED_FORMAT'
  | 'OUTPUT_IS_INPUT'
  | 'OUTPUT_WRITE_FAILED'
  | 'VOLUME_TOO_LARGE'
  | 'VOLUME_INVALID'
  | 'DICOM_NO_IMAGES'
  | 'DICOM_NOT_DICOM'
  | 'DICOM_TRUNCATED'
  | 'DICOM_MALFORMED'
  | 'DICOM_MISSING_TAG'
  | 'DICOM_UNSUPPORTED_TRANSFER_SYNTAX'
  | 'DICOM_UNSUPPORTED_PIXEL_FORMAT'
  | 'DICOM_CORRUPT_PIXEL_DATA'
  | 'DICOM_SERIES_NOT_FOUND'
  | 'NIFTI_BAD_MAGIC'
  | 'NIFTI_TRUNCATED'
  | 'NIFTI_BAD_HEADER'
  | 'NIFTI_UNSUPPORTED_DATATYPE'
  | 'NIFTI_CORRUPT_COMPRESSION'
  | 'NIFTI_VOLUME_OUT_OF_RANGE'
  | 'NRRD_BAD_MAGIC'
  | 'NRRD_BAD_HEADER'
  | 'NRRD_UNSUPPORTED'
  | 'NRRD_TRUNCATED'
  | 'NRRD_CORRUPT_COMPRESSION'
  | 'CLI_USAGE'
  | 'MODEL_NOT_FOUND'
  | 'MODEL_INVALID'
  | 'MODEL_UNSUPPORTED'
  | 'MODEL_SHAPE_MISMATCH'
  | 'INFERENCE_PROVIDER_UNAVAILABLE'
  | 'INFERENCE_FAILED'
  | 'INFERENCE_CRASHED'
  | 'INFERENCE_OUT_OF_MEMORY'
  | 'INFERENCE_CANCELLED'
  | 'INFERENCE_NOT_FINITE'
  | 'SEGMENTATION_GRID_MISMATCH'
  /** A click for an interactive model that it cannot take: outside the scan, or for a label it does not have. */
  | 'CLICK_INVALID'
  | 'IPC_INVALID_ARGUMENTS'
  | 'IPC_UNKNOWN_CHANNEL'
  | 'IPC_FORBIDDEN_SENDER'
  | 'UNKNOWN_ID'
  | 'MASK_GRID_MISMATCH'
  | 'MASK_NOT_LABELS'
  /** A segmentation's statistics asked over a volume of another series or grid than its own. */
  | 'MASK_VOLUME_MISMATCH'
  | 'SEG_INVALID'
  | 'SEG_UNSUPPORTED'
  | 'SEG_SOURCE_MISMATCH'
  | 'SEG_NEEDS_DICOM_SOURCE'
  | 'SEG_EMPTY'
  | 'RECOVERY_UNREADABLE'
  | 'RECOVERY_DAMAGED'
  | 'LOAD_CANCELLED'
  | 'INTERNAL';

/** An expected failure: a stable `code` for programs, a message naming the file for people. */
export class AxialError extends Error {
  readonly code: AxialErrorCode;
  /** The file or folder the problem is in, when there is one. */
  readonly file: string | undefined;

  constructor(code: AxialErrorCode, message: string, options: { file?: string; cause?: unknown } = {}) {
    super(options.file ? `${options.file}: ${message}` : message, { cause: options.cause });
    this.name = 'AxialError';
    this.code = code;
    this.file = options.file;
  }
}

/** True for errors Axial raised on purpose. */
export function isAxialError(error: unknown): error is AxialError {
  return error instanceof AxialError;
}
