import type { Mat3, Vec3 } from '../../core/geometry/types.js';
import type { DicomFrameGeometry, DicomInstance } from './DicomInstance.js';
import type { TimeSeriesPart } from './groupIntoSeries.js';

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
