import type { Mat3, Vec3 } from '../../core/geometry/types.js';
import type { DicomFrameGeometry, DicomInstance } from './DicomInstance.js';

/** One frame of one file: the unit that becomes a slice. */
export interface DicomSlice {
  readonly instance: DicomInstance;
  readonly frameIndex: number;
  readonly geometry: DicomFrameGeometry;
}

/** A set of slices that make one volume, sorted along the slice normal. */
export interface DicomSeries {
  /** SeriesInstanceUID, with `.2`, `.3`… appended where one UID was split into several volumes. */
  readonly id: string;
  readonly seriesInstanceUid: string;
  readonly slices: readonly DicomSlice[];
  readonly dimensions: Vec3;
  readonly spacing: Vec3;
  readonly origin: Vec3;
  readonly direction: Mat3;
  readonly warnings: readonly string[];
  /** Number of distinct files the slices come from. */
  readonly fileCount: number;
  /** Set when this volume is one time point of a 4D series (same grid, repeated positions). */
  readonly timeSeries?: TimeSeriesPart;
}

/**
 * One volume of a 4D series: the volumes of one series that share a grid (orientation, matrix,
 * pixel format, echo and slice positions) and differ only by repetition (time points, diffusion
 * directions). They stay separate volumes here; scanInput offers them as one series with a time axis.
 */
export interface TimeSeriesPart {
  /** Equal for every volume of the same 4D series (the series UID and grid it was grouped by). */
  readonly key: string;
  /** 0-based, in acquisition (or repetition) order. */
  readonly index: number;
  readonly count: number;
}
