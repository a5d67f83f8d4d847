import { availableParallelism } from 'node:os';
import { AxialError } from '../errors/AxialError.js';
import type { SkippedFile } from '../dicom/DicomInstance.js';
import { findDicomFiles, type FoundFile } from '../dicom/findDicomFiles.js';
import { loadDicomVolume } from '../dicom/loadDicomVolume.js';
import type { PhilipsScaling } from '../dicom/philips/applyPhilipsScaling.js';
import type { DicomSeries } from '../dicom/DicomSeries.js';
import { scanDicom, type DicomScan } from '../dicom/scanDicom.js';
import { secondsBetweenTimePoints } from '../dicom/secondsBetweenTimePoints.js';
import { secondsFromFirstTimePoint } from '../dicom/secondsFromFirstTimePoint.js';
import { notDicomReason } from '../dicom/readDicomInstance.js';
import type { DecodePool } from '../decode/createDecodePool.js';
import { isCompressedTransferSyntax } from '../dicom/codecs/transferSyntaxCodecs.js';
import type { Volume } from '../volume/Volume.js';
import { readFileRegion } from '../io/readFileRegion.js';
import type { SeriesStudy } from '../../core/contract.js';
import { seriesStudyOf } from './seriesStudyOf.js';
import type { NiftiTimeAxis } from './readNiftiTimeAxis.js';

/** One volume an input holds, found without decoding its voxels. */
export interface ScannedSeries {
  /** 1-based position in the scan, for choosing a series without a UID. */
  readonly index: number;
  readonly uid: string;
  readonly description: string;
  readonly modality: string;
  readonly format: 'dicom' | 'nifti' | 'nrrd';
  /** The files the volume is read from; an output must never be one of them. */
  readonly files: readonly string[];
  readonly warnings: readonly string[];
  /** How many volumes share this series' grid along time (1, or absent, for a 3D series); load(t) gives each. */
  readonly timePoints?: number;
  /** For telling series apart in a picker: absent where the format does not say. */
  readonly seriesNumber?: number;
  /** Images (slices) the series holds, over all its time points. */
  readonly images?: number;
  /** One volume's matrix: columns, rows, slices (absent for NIfTI/NRRD, known only once read). */
  readonly dimensions?: readonly [number, number, number];
  /** True when the files' ImageType says DERIVED (a reformat, a map), not ORIGINAL. */
  readonly derived?: boolean;
  /** EchoNumbers, where the series is one echo of several (each echo is its own entry, as dcm2niix's _e1/_e2). */
  readonly echo?: number;
  /** The files' EchoNumbers wherever they give one, whether or not the scan holds the other echoes (a measurement's key). */
  readonly echoNumber?: number;
  /**
   * Seconds between a 4D series' time points (a 4D NIfTI's pixdim[4]), when the files give it: RepetitionTime, or
   * the time between the time points' AcquisitionTime where that is longer (secondsBetweenTimePoints).
   */
  readonly repetitionTime?: number;
  /**
   * For a 4D series: each time point's seconds from the first (the time slider's), where the files date them: a DICOM
   * series' trigger delays or acquisition times (secondsFromFirstTimePoint), a NIfTI's t × pixdim[4] where its volumes
   * are along time. Absent where they are not known: never t × a TR that is no time between volumes.
   */
  readonly timeOffsets?: readonly number[];
  /** A DICOM series' patient and study, formatted for reading; its index tells the scan's studies apart (absent for NIfTI/NRRD). */
  readonly study?: SeriesStudy;
  /** Loads the volume of time point `timePoint` (0-based; default 0). */
  load(timePoint?: number): Promise<{ volume: Volume; warnings: string[] }>;
}

export interface InputScan {
  readonly series: ScannedSeries[];
  readonly skipped: SkippedFile[];
}

export interface ScanInputOptions {
  /** For 4D NIfTI: which volume to load (0-based). */
  readonly volumeIndex?: number;
  /** Refuse volumes larger than this many bytes before allocating. */
  readonly maxBytes?: number;
  /** Philips MR values: precise (FP, the default, as dcm2niix) or display (DV = RescaleSlope values). */
  readonly philipsScaling?: PhilipsScaling;
  /**
   * Threads that decode a compressed DICOM series (default: one per core). 1 decodes on this
   * thread, with no worker at all; uncompressed series always decode here.
   */
  readonly threads?: number;
  /** A pool that outlives this scan (the app's): used instead of one made per load, and not closed. */
  readonly decodePool?: DecodePool;
  /** Hears how many files have been read: headers while scanning, pixels while a DICOM series loads. */
  readonly onProgress?: (progress: ScanProgress) => void;
}

/** Files done of the files to do, in a scan or a load. */
export interface ScanProgress {
  readonly phase: 'scanning' | 'loading';
  readonly done: number;
  readonly total: number;
}

/**
 * Finds every volume in an input path: a NIfTI or NRRD file, a DICOM file,
 * a DICOMDIR, or a folder holding any of these (searched recursively).
 * @throws AxialError INPUT_NOT_FOUND, DICOM_NO_IMAGES, or the reader's own codes.
 */
export async function scanInput(path: string, options: ScanInputOptions = {}): Promise<InputScan> {
  const unlisted: SkippedFile[] = [];
  const files = await findDicomFiles(path, { onSkipped: (s) => unlisted.push(s) });
  const formats = new Map<FoundFile, VolumeFileFormat>();
  for (const file of files) {
    const format = formatByName(file.path);
    if (format) formats.set(file, format);
  }
  // The rest go to the DICOM scan, whose one read of each file's head also tells the NIfTI and NRRD
  // files without their extension apart (not DICOM): reading every file's head once more only to
  // sniff it cost 20-100 ms for 300 files.
  const candidates = files.filter((file) => !formats.has(file));
  const dicomSeries: Omit<ScannedSeries, 'index'>[] = [];
  let skipped: SkippedFile[] = [];
  // With no file at all, the DICOM scan still runs: its DICOM_NO_IMAGES says the folder holds nothing (an empty list is not an answer).
  if (candidates.length > 0 || formats.size === 0) {
    const result = await scanDicomOrNoImages(path, candidates, options);
    const scan = result instanceof AxialError ? undefined : result;
    const notDicom = new Set(scan?.skipped.filter((s) => s.reason === notDicomReason).map((s) => s.file));
    for (const file of candidates) {
      if (scan && !notDicom.has(file.path)) continue;
      const format = await formatByContent(file);
      if (format) formats.set(file, format);
    }
    if (scan === undefined) {
      // No DICOM image: the error stands unless other volumes were found.
      if (formats.size === 0) throw result;
      skipped = candidates.filter((file) => !formats.has(file)).map((file) => ({ file: file.path, reason: 'not an image Axial reads' }));
    } else {
      const volumes = new Set([...formats.keys()].map((file) => file.path));
      skipped = scan.skipped.filter((s) => !volumes.has(s.file));
      dicomSeries.push(...scannedDicomSeriesOf(scan.series, options));
    }
  }
  const series: Omit<ScannedSeries, 'index'>[] = [];
  for (const file of files) {
    const format = formats.get(file);
    if (format) series.push(await singleFileSeries(file, format, options));
  }
  return { series: [...series, ...dicomSeries].map((s, i) => ({ ...s, index: i + 1 })), skipped: [...unlisted, ...skipped] };
}

/** scanDicom's series, or its DICOM_NO_IMAGES error where it found no DICOM image. */
async function scanDicomOrNoImages(path: string, files: readonly FoundFile[], options: ScanInputOptions): Promise<DicomScan | AxialError> {
  const { onProgress } = options;
  try {
    return await scanDicom(path, files, {
      philipsScaling: options.philipsScaling,
      onFilesRead: onProgress && ((done) => onProgress({ phase: 'scanning', done, total: files.length })),
    });
  } catch (error) {
    if (error instanceof AxialError && error.code === 'DICOM_NO_IMAGES') return error;
    throw error;
  }
}

/**
 * The scan's entries: the volumes of a 4D series (one grid, repeated positions) become one entry
 * with a time axis, in the place of its first volume; every other volume is its own entry. Echoes
 * were grouped apart (their echo is in the grid) and stay apart, named "echo 2" etc.
 */
function scannedDicomSeriesOf(all: readonly DicomSeries[], options: ScanInputOptions): Omit<ScannedSeries, 'index'>[] {
  const byTimeKey = new Map<string, DicomSeries[]>();
  for (const s of all) {
    if (s.timeSeries) byTimeKey.set(s.timeSeries.key, [...(byTimeKey.get(s.timeSeries.key) ?? []), s]);
  }
  const echoesOf = new Map<string, Set<number | undefined>>();
  for (const s of all) {
    const echoes = echoesOf.get(s.seriesInstanceUid) ?? new Set();
    echoes.add(s.slices[0]!.instance.echoNumber);
    echoesOf.set(s.seriesInstanceUid, echoes);
  }
  // A study is its UID and its patient: an anonymiser may give two patients one StudyInstanceUID.
  const studies = new Map<string, number>();
  const entries: Omit<ScannedSeries, 'index'>[] = [];
  for (const s of all) {
    const volumes = s.timeSeries ? byTimeKey.get(s.timeSeries.key)! : [s];
    if (volumes[0] !== s) continue;
    const ordered = [...volumes].sort((a, b) => (a.timeSeries?.index ?? 0) - (b.timeSeries?.index ?? 0));
    const first = s.slices[0]!.instance;
    const studyKey = JSON.stringify([first.studyInstanceUid, first.patientId, first.patientName]);
    if (!studies.has(studyKey)) studies.set(studyKey, studies.size + 1);
    const study = seriesStudyOf(first, studies.get(studyKey)!);
    entries.push(scannedDicomSeries(ordered, { severalEchoes: (echoesOf.get(s.seriesInstanceUid)?.size ?? 1) > 1, study }, options));
  }
  return entries;
}

function scannedDicomSeries(
  volumes: readonly DicomSeries[],
  { severalEchoes, study }: { readonly severalEchoes: boolean; readonly study: SeriesStudy },
  options: ScanInputOptions,
): Omit<ScannedSeries, 'index'> {
  const s = volumes[0]!;
  const first = s.slices[0]!.instance;
  const echo = severalEchoes ? first.echoNumber : undefined;
  const timePoints = volumes.length;
  const repetitionTime = secondsBetweenTimePoints(volumes);
  const timeOffsets = secondsFromFirstTimePoint(volumes);
  // The split is no longer news when the volumes are offered as one series' time points.
  const warnings = timePoints > 1 ? s.warnings.filter((w) => !w.startsWith('one of several volumes in this series')) : s.warnings;
  return {
    uid: s.seriesInstanceUid,
    description: echo === undefined ? first.seriesDescription : [first.seriesDescription, `echo ${echo}`].filter(Boolean).join(' · '),
    modality: first.modality,
    format: 'dicom',
    files: [...new Set(volumes.flatMap((v) => v.slices.map((slice) => slice.instance.file)))],
    warnings,
    timePoints,
    ...(first.seriesNumber !== undefined && { seriesNumber: first.seriesNumber }),
    images: volumes.reduce((sum, v) => sum + v.slices.length, 0),
    dimensions: [s.dimensions[0], s.dimensions[1], s.dimensions[2]],
    derived: first.imageType?.[0]?.toUpperCase() === 'DERIVED',
    ...(echo !== undefined && { echo }),
    ...(first.echoNumber !== undefined && { echoNumber: first.echoNumber }),
    ...(repetitionTime !== undefined && { repetitionTime }),
    ...(timeOffsets !== undefined && { timeOffsets }),
    study,
    load: async (timePoint = 0) => {
      const volume = volumes[timePoint];
      if (volume === undefined || !Number.isInteger(timePoint)) {
        throw new AxialError('DICOM_SERIES_NOT_FOUND', `the series has no time point ${timePoint} (it has ${timePoints}, from 0)`, { file: first.file });
      }
      return { volume: await loadDicomSeries(volume, options), warnings: [...warnings] };
    },
  };
}

/** A DICOM series' volume, its compressed frames decoded by the given pool or by one that lives as long as the load. */
async function loadDicomSeries(series: DicomSeries, options: ScanInputOptions): Promise<Volume> {
  const { onProgress } = options;
  const loadOptions = {
    maxBytes: options.maxBytes,
    onFilesDecoded: onProgress && ((done: number) => onProgress({ phase: 'loading', done, total: series.fileCount })),
  };
  if (options.decodePool) return loadDicomVolume(series, { ...loadOptions, decodePool: options.decodePool });
  const threads = options.threads ?? availableParallelism();
  // Only compressed frames go to a pool: an uncompressed series neither starts one nor loads its module.
  const compressed = series.slices.some((slice) => isCompressedTransferSyntax(slice.instance.transferSyntaxUid));
  if (threads <= 1 || !compressed) return loadDicomVolume(series, loadOptions);
  const { createDecodePool } = await import('../decode/createDecodePool.js');
  const decodePool = createDecodePool({ threads });
  try {
    return await loadDicomVolume(series, { ...loadOptions, decodePool });
  } finally {
    await decodePool.close();
  }
}

type VolumeFileFormat = 'nifti' | 'nrrd';

function formatByName(path: string): VolumeFileFormat | undefined {
  const name = path.toLowerCase();
  if (name.endsWith('.nii') || name.endsWith('.nii.gz')) return 'nifti';
  if (name.endsWith('.nrrd') || name.endsWith('.nhdr')) return 'nrrd';
  return undefined;
}

async function formatByContent(file: FoundFile): Promise<VolumeFileFormat | undefined> {
  const head = await readFileRegion(file.path, 0, Math.min(file.size, 348));
  if (head.length >= 4 && String.fromCharCode(...head.subarray(0, 4)) === 'NRRD') return 'nrrd';
  if (head.length >= 348 && [344, 345, 346].map((i) => head[i]).join() === [0x6e, 0x2b, 0x31].join()) return 'nifti';
  return undefined;
}

async function singleFileSeries(file: FoundFile, format: VolumeFileFormat, options: ScanInputOptions): Promise<Omit<ScannedSeries, 'index'>> {
  const { path } = file;
  const nrrd = format === 'nrrd';
  const detached = nrrd ? await detachedDataFiles(path) : { files: [] };
  // A 4D NIfTI (fMRI, as dcm2niix writes it) is a series with time points, unless the caller chose one volume.
  const { timePoints, repetitionTime, timeOffsets }: NiftiTimeAxis =
    nrrd || options.volumeIndex !== undefined ? { timePoints: 1 } : await (await import('./readNiftiTimeAxis.js')).readNiftiTimeAxis(path, file.size);
  return {
    uid: '',
    description: path.replace(/^.*[\\/]/, ''),
    modality: '',
    format,
    files: [path, ...detached.files],
    warnings: [],
    timePoints,
    ...(repetitionTime !== undefined && { repetitionTime }),
    ...(timeOffsets !== undefined && { timeOffsets }),
    derived: false,
    load: async (timePoint?: number) => {
      // The readers are imported when a volume of theirs is loaded: a DICOM series never pays their 25 ms.
      const result = nrrd
        ? await (await import('../nrrd/readNrrd.js')).readNrrd(path, options)
        : await (await import('../nifti/readNifti.js')).readNifti(path, timePoints > 1 ? { ...options, volumeIndex: timePoint ?? 0 } : options);
      // The reader's own error comes first; past it, a volume whose data files are unknown could not be guarded.
      if (detached.error !== undefined) throw detached.error;
      // The time slider says which volume is shown: the reader's "read volume t" is no news then.
      const warnings = timePoints > 1 ? result.warnings.filter((w) => !w.startsWith('4D file with')) : result.warnings;
      return { volume: result.volume, warnings };
    },
  };
}

/**
 * A detached NRRD's data files are inputs too (an output must never land on
 * them). A header that cannot name them (malformed, or a data file outside its
 * folder) fails when the series is loaded, not during the scan, so one bad
 * header does not hide the folder's other volumes.
 */
async function detachedDataFiles(header: string): Promise<{ files: string[]; error?: unknown }> {
  try {
    const { findNrrdDataFiles } = await import('../nrrd/findNrrdDataFiles.js');
    return { files: await findNrrdDataFiles(header) };
  } catch (error) {
    return { files: [], error };
  }
}
