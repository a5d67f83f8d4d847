/**
 * An integral stored-to-real map applied while decoding, in the same pass as the masking, so the
 * values come back as the volume holds them: `output` is the volume's type, which holds every
 * rescaled value (loadDicomVolume checks the range first).
 */
export interface FrameRescale {
  readonly slope: number;
  readonly intercept: number;
  readonly output: 'int16' | 'uint16';
}
