import { availableParallelism } from 'node:os';
import { AxialError } from '../errors/AxialError.js';
import type { SkippedFile } from '../dicom/DicomInstance.js';
import { findDicomFiles, type FoundFile } from '../dicom/findDicomFiles.js';
import { loadDicomVolume } from '../dicom/loadDicomVolume.js';
import type { PhilipsScaling } from '../dicom/philips/applyPhilipsScaling.js';
import type { DicomSeries } from '../dicom/DicomSeries.js';
import { scanDicom, type DicomScan } from '../dicom/scanDicom.js';
import { notDicomReason } from '../dicom/readDicomInstance.js';
import type { DecodePool } from '../decode/createDecodePool.js';
import { isCompressedTransferSyntax } from '../dicom/codecs/transferSyntaxCodecs.js';
import type { Volume } from '../volume/Volume.js';
import { readFileRegion } from '../io/readFileRegion.js';

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
  load(): Promise<{ volume: Volume; warnings: string[] }>;
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
  const files = await findDicomFiles(path);
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
  if (candidates.length > 0) {
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
      dicomSeries.push(...scan.series.map((s) => scannedDicomSeries(s, options)));
    }
  }
  const series: Omit<ScannedSeries, 'index'>[] = [];
  for (const file of files) {
    const format = formats.get(file);
    if (format) series.push(await singleFileSeries(file.path, format, options));
  }
  return { series: [...series, ...dicomSeries].map((s, i) => ({ ...s, index: i + 1 })), skipped };
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

function scannedDicomSeries(s: DicomSeries, options: ScanInputOptions): Omit<ScannedSeries, 'index'> {
  const first = s.slices[0]!.instance;
  return {
    uid: s.seriesInstanceUid,
    description: first.seriesDescription,
    modality: first.modality,
    format: 'dicom',
    files: [...new Set(s.slices.map((slice) => slice.instance.file))],
    warnings: s.warnings,
    load: async () => ({ volume: await loadDicomSeries(s, options), warnings: [...s.warnings] }),
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

async function singleFileSeries(path: string, format: VolumeFileFormat, options: ScanInputOptions): Promise<Omit<ScannedSeries, 'index'>> {
  const nrrd = format === 'nrrd';
  const detached = nrrd ? await detachedDataFiles(path) : { files: [] };
  return {
    uid: '',
    description: path.replace(/^.*[\\/]/, ''),
    modality: '',
    format,
    files: [path, ...detached.files],
    warnings: [],
    load: async () => {
      // The readers are imported when a volume of theirs is loaded: a DICOM series never pays their 25 ms.
      const result = nrrd
        ? await (await import('../nrrd/readNrrd.js')).readNrrd(path, options)
        : await (await import('../nifti/readNifti.js')).readNifti(path, options);
      // The reader's own error comes first; past it, a volume whose data files are unknown could not be guarded.
      if (detached.error !== undefined) throw detached.error;
      return { volume: result.volume, warnings: result.warnings };
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
