import { basename } from 'node:path';
import type { ExportFormat, SegmentDef } from '../../core/contract.js';
import { AxialError } from '../errors/AxialError.js';
import type { ScannedSeries } from '../input/scanInput.js';
import { writeFileAtomic } from '../io/writeFileAtomic.js';
import { writeNifti } from '../nifti/writeNifti.js';
import { writeNrrd } from '../nrrd/writeNrrd.js';
import { segmentCodesFor } from '../dicomSeg/segmentCodes.js';
import { writeDicomSeg } from '../dicomSeg/writeDicomSeg.js';
import { createVolume, type Volume } from '../volume/Volume.js';
import { flattenLayers } from './flattenLayers.js';
import { statisticsCsv, statisticsJson } from './formatStatistics.js';
import type { LabelArray } from '../../core/labels/LabelArray.js';
import { segmentStatistics } from './segmentStatistics.js';

export interface MaskExport {
  readonly format: ExportFormat;
  readonly path: string;
  readonly volume: Volume;
  readonly series: ScannedSeries;
  readonly name: string;
  readonly layers: readonly LabelArray[];
  readonly segments: readonly SegmentDef[];
  /** Files nothing may be written over. */
  readonly inputs: readonly string[];
}

/** What each format is called in a save dialog, and its extension. */
export const exportFormats: Record<ExportFormat, { readonly name: string; readonly extension: string }> = {
  nifti: { name: 'NIfTI label map', extension: '.nii.gz' },
  nrrd: { name: 'NRRD label map', extension: '.nrrd' },
  'dicom-seg': { name: 'DICOM Segmentation', extension: '.dcm' },
  'stats-csv': { name: 'Segment statistics (CSV)', extension: '.csv' },
  'stats-json': { name: 'Segment statistics (JSON)', extension: '.json' },
};

/**
 * Writes a segmentation (or its statistics) in one format, atomically.
 * Returns warnings, e.g. overlapping voxels a one-label-per-voxel format could not keep, and how many voxels
 * that was (0 for the formats that keep every segment).
 * @throws AxialError SEG_NEEDS_DICOM_SOURCE, SEG_EMPTY, OUTPUT_IS_INPUT, OUTPUT_WRITE_FAILED
 */
export async function writeMaskExport(job: MaskExport): Promise<{ warnings: string[]; overlapping: number }> {
  const { volume, path, inputs } = job;
  const voxelCount = volume.voxels.length;
  if (job.format === 'stats-csv' || job.format === 'stats-json') {
    const stats = segmentStatistics(volume, job.layers, job.segments);
    const source = { scan: volume.metadata.seriesDescription || basename(job.series.files[0] ?? job.name), units: volume.metadata.units ?? null };
    const text = job.format === 'stats-csv' ? statisticsCsv(stats, source) : statisticsJson(stats, source);
    await writeFileAtomic(path, [Buffer.from(text, 'utf8')], inputs);
    return { warnings: [], overlapping: 0 };
  }
  if (job.format === 'dicom-seg') {
    if (volume.metadata.format !== 'dicom') {
      throw new AxialError(
        'SEG_NEEDS_DICOM_SOURCE',
        `DICOM SEG must refer to DICOM images, and ${job.name} was read from ${volume.metadata.format.toUpperCase()}; export NIfTI or NRRD instead`,
      );
    }
    const segments = job.segments.map((s) => ({
      layer: s.layer,
      value: s.value,
      label: s.name,
      algorithmType: s.algorithmType,
      ...(s.algorithmName ? { algorithmName: s.algorithmName } : {}),
      ...segmentCodesFor(s.name),
      colour: s.colour,
    }));
    await writeDicomSeg({ series: job.series, volume, seg: { layers: job.layers, segments }, outPath: path, seriesDescription: job.name, inputs });
    return { warnings: [], overlapping: 0 };
  }
  const flat = flattenLayers(job.layers, job.segments, voxelCount);
  const { dimensions, spacing, origin, direction } = volume;
  const labels = createVolume({
    dimensions,
    spacing,
    origin,
    direction,
    voxels: flat.labels,
    metadata: { format: job.format, seriesDescription: job.name, windowPresets: [], fileCount: 1 },
  });
  if (job.format === 'nifti') await writeNifti(labels, path, { intent: 'label', inputs });
  else await writeNrrd(labels, path, { inputs });
  const renumbered = job.layers.length > 1 ? [`segments renumbered 1–${flat.segments.length} in one label map`] : [];
  const overlaps = flat.overlapping > 0 ? [`${flat.overlapping} voxels were in more than one segment; the label map keeps the later one`] : [];
  return { warnings: [...renumbered, ...overlaps], overlapping: flat.overlapping };
}
