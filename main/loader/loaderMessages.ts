import type { AppSettings } from '../../core/contract.js';
import type { SkippedFile } from '../dicom/DicomInstance.js';
import type { AxialErrorCode } from '../errors/AxialError.js';
import type { ScannedSeries, ScanProgress } from '../input/scanInput.js';
import type { Thumbnail } from '../studies/middleSliceThumbnail.js';
import type { VolumeGrid, VolumeProps } from '../volume/Volume.js';
import type { OpenedMask } from './openMaskFile.js';

/** What a scan and its loads are read with: the user's reading settings. */
export type LoaderOptions = Pick<AppSettings, 'decodeThreads' | 'philipsScaling'>;

/** A series as the loader worker reports it: everything but its load(), which stays in the worker. */
export type SeriesSummary = Omit<ScannedSeries, 'load'>;

/** Main thread to loader worker. */
export type LoaderRequest =
  | { readonly type: 'scan'; readonly id: number; readonly path: string; readonly options: LoaderOptions }
  | {
      readonly type: 'load';
      readonly id: number;
      /** The scan's request id; a worker started since (after a cancel) scans `path` again. */
      readonly scanId: number;
      readonly path: string;
      readonly options: LoaderOptions;
      readonly index: number;
      /** The series the user chose, to refuse a folder that changed since it was scanned. */
      readonly uid: string;
      readonly fileCount: number;
      /** For a 4D series: which time point (0-based; absent: the first). */
      readonly timePoint?: number;
    }
  | { readonly type: 'openMask'; readonly id: number; readonly path: string; readonly grid: VolumeGrid }
  | { readonly type: 'forget'; readonly scanId: number };

/** An error crossing the thread boundary: AxialError's parts (message without the file prefix). */
export interface LoaderFailure {
  readonly code: AxialErrorCode | undefined;
  readonly message: string;
  readonly file: string | undefined;
}

/** Loader worker to main thread. */
export type LoaderReply =
  | { readonly type: 'progress'; readonly progress: ScanProgress }
  | { readonly type: 'scanned'; readonly id: number; readonly series: readonly SeriesSummary[]; readonly skipped: readonly SkippedFile[] }
  | {
      readonly type: 'loaded';
      readonly id: number;
      readonly volume: VolumeProps;
      readonly warnings: readonly string[];
      /** The smallest and largest voxel value, found here so that main never walks the voxels. */
      readonly range: [number, number];
      /** The middle axial slice, small and windowed, for the recent study list (null when it could not be made). */
      readonly thumbnail: Thumbnail | null;
    }
  | { readonly type: 'maskOpened'; readonly id: number; readonly mask: OpenedMask }
  | { readonly type: 'failed'; readonly id: number; readonly failure: LoaderFailure };
