import { AxialError, isAxialError } from '../errors/AxialError.js';
import type { DicomInstance, SkippedFile } from './DicomInstance.js';
import type { DicomSeries } from './DicomSeries.js';
import { findDicomFiles, type FoundFile } from './findDicomFiles.js';
import { groupIntoSeries } from './groupIntoSeries.js';
import { applyPhilipsScaling, type PhilipsScaling } from './philips/applyPhilipsScaling.js';
import { readDicomInstance } from './readDicomInstance.js';
import { sortSlicesAlongNormal } from './sortSlicesAlongNormal.js';

export interface DicomScan {
  readonly series: DicomSeries[];
  readonly skipped: SkippedFile[];
}

export interface ScanDicomOptions {
  /** Which values Philips MR files give: precise (FP, dcm2niix's default; the default here too) or display (DV). */
  readonly philipsScaling?: PhilipsScaling;
  /** Hears how many of the files have been read so far (after each batch). */
  readonly onFilesRead?: (done: number) => void;
}

const parallelReads = 16;

/**
 * Finds every DICOM image series under an input (file, folder or DICOMDIR),
 * reading headers only. Files that are not images are listed as skipped; a
 * damaged file in a folder is skipped with its error, a damaged single file throws.
 * Philips MR files give the values `options.philipsScaling` names (precise by default).
 * @throws AxialError DICOM_NO_IMAGES when nothing readable is found, or the single file's own error.
 */
export async function scanDicom(input: string, files?: readonly FoundFile[], options: ScanDicomOptions = {}): Promise<DicomScan> {
  const found = files ?? (await findDicomFiles(input));
  const instances: DicomInstance[] = [];
  const skipped: SkippedFile[] = [];
  for (let start = 0; start < found.length; start += parallelReads) {
    const batch = found.slice(start, start + parallelReads);
    const results = await Promise.all(batch.map((f) => readOrExplain(f, found.length === 1, options.philipsScaling ?? 'precise')));
    for (const r of results) {
      if ('frames' in r) instances.push(r);
      else skipped.push(r);
    }
    options.onFilesRead?.(start + batch.length);
    // Headers are read synchronously (readDicomInstance): between batches, the thread's messages (a Cancel) get their turn.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (instances.length === 0) {
    const why = skipped.length === 0 ? 'no files found' : summarise(skipped);
    throw new AxialError('DICOM_NO_IMAGES', `no DICOM images found (${why})`, { file: input });
  }
  return { series: buildSeries(instances), skipped };
}

async function readOrExplain(file: FoundFile, single: boolean, philipsScaling: PhilipsScaling): Promise<DicomInstance | SkippedFile> {
  try {
    const read = await readDicomInstance(file.path, file.size);
    return 'frames' in read ? applyPhilipsScaling(read, philipsScaling) : read;
  } catch (error) {
    if (single || !isAxialError(error)) throw error;
    return { file: file.path, reason: `${error.code}: ${error.message}` };
  }
}

function summarise(skipped: readonly SkippedFile[]): string {
  const reasons = new Map<string, number>();
  for (const s of skipped) {
    const reason = s.reason.replace(s.file + ': ', '');
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  return [...reasons.entries()].map(([reason, n]) => `${n} × ${reason}`).join('; ');
}

function buildSeries(instances: DicomInstance[]): DicomSeries[] {
  const groups = groupIntoSeries(instances);
  const counters = new Map<string, number>();
  return groups.map((group) => {
    const sorted = sortSlicesAlongNormal(group.slices);
    const n = (counters.get(group.seriesInstanceUid) ?? 0) + 1;
    counters.set(group.seriesInstanceUid, n);
    const format = group.slices[0]!.instance.pixelFormat;
    const warnings = group.splitReason ? [`one of several volumes in this series (${group.splitReason})`] : [];
    warnings.push(...(group.warnings ?? []));
    if (group.duplicates)
      warnings.push(`${group.duplicates} file${group.duplicates > 1 ? 's' : ''} repeating an image already read (the same SOPInstanceUID) left out`);
    return {
      id: n === 1 ? group.seriesInstanceUid : `${group.seriesInstanceUid}.${n}`,
      seriesInstanceUid: group.seriesInstanceUid,
      slices: sorted.slices,
      dimensions: [format.columns, format.rows, sorted.slices.length],
      spacing: sorted.spacing,
      origin: sorted.origin,
      direction: sorted.direction,
      warnings: [...new Set([...warnings, ...sorted.warnings, ...sorted.slices.flatMap((slice) => slice.instance.warnings)])],
      fileCount: new Set(sorted.slices.map((s) => s.instance.file)).size,
      ...(group.timeSeries && { timeSeries: group.timeSeries }),
    };
  });
}
