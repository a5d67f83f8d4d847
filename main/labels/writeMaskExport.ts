import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ExportFormat, SegmentDef } from '../../core/contract.js';
import { AxialError, isAxialError } from '../errors/AxialError.js';
import type { ScannedSeries } from '../input/scanInput.js';
import { replaceableOutputMode } from '../io/replaceableOutputMode.js';
import { writeFileAtomic } from '../io/writeFileAtomic.js';
import { writeNifti } from '../nifti/writeNifti.js';
import { writeNrrd } from '../nrrd/writeNrrd.js';
import { segmentCodesFor } from '../dicomSeg/segmentCodes.js';
import { writeDicomSeg } from '../dicomSeg/writeDicomSeg.js';
import { createVolume, type Volume } from '../volume/Volume.js';
import { labelNameFilesFor } from './findLabelNames.js';
import { flattenLayers } from './flattenLayers.js';
import { formatItkSnapLabels } from './formatItkSnapLabels.js';
import { slicerSegmentationFields } from './slicerSegmentationFields.js';
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
  'slicer-seg': { name: '3D Slicer segmentation', extension: '.seg.nrrd' },
  'dicom-seg': { name: 'DICOM Segmentation', extension: '.dcm' },
  'stats-csv': { name: 'Segment statistics (CSV)', extension: '.csv' },
  'stats-json': { name: 'Segment statistics (JSON)', extension: '.json' },
};

/**
 * Writes a segmentation (or its statistics) in one format, atomically. A NIfTI or plain NRRD label map gets an
 * ITK-SNAP label description file beside it (`<stem>.label.txt`: names and colours); a NRRD whose name ends
 * `.seg.nrrd` is written as a 3D Slicer segmentation (segment names, colours, label values, terminology in its
 * header, and no name file beside it), keeping
 * several layers (overlapping segments) as Slicer does instead of flattening them.
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
  const segNrrd = job.format === 'slicer-seg' || (job.format === 'nrrd' && /\.seg\.nrrd$/i.test(path));
  if (segNrrd && job.layers.length > 1) return writeLayeredSegNrrd(job);
  const flat = flattenLayers(job.layers, job.segments, voxelCount);
  const { dimensions, spacing, origin, direction } = volume;
  const labels = createVolume({
    dimensions,
    spacing,
    origin,
    direction,
    voxels: flat.labels,
    metadata: {
      format: job.format === 'nifti' ? 'nifti' : 'nrrd',
      seriesDescription: job.name,
      windowPresets: [],
      fileCount: 1,
      // A NIfTI scan's own qform and codes, so a tool that reads the qform puts the labels where the scan is.
      ...(volume.metadata.niftiTransforms && { niftiTransforms: volume.metadata.niftiTransforms }),
    },
  });
  // Before the map: a write-protected name file beside it must stop the export while the old map still matches it.
  if (!segNrrd) await replaceableOutputMode(labelNameFilesFor(path)[0]!);
  if (job.format === 'nifti') await writeNifti(labels, path, { intent: 'label', inputs });
  else if (segNrrd) await writeNrrd(labels, path, { inputs, keyValues: slicerSegmentationFields([flat.labels], dimensions, flat.segments) });
  else await writeNrrd(labels, path, { inputs });
  // A .seg.nrrd's header holds the names; a name file beside it would go stale once the segments are renamed in Slicer.
  const names = segNrrd ? [] : await writeLabelDescriptions(path, flat.segments, inputs);
  const renumbered = job.layers.length > 1 ? [`segments renumbered 1–${flat.segments.length} in one label map`] : [];
  const overlaps = flat.overlapping > 0 ? [`${flat.overlapping} voxels were in more than one segment; the label map keeps the later one`] : [];
  return { warnings: [...names, ...renumbered, ...overlaps], overlapping: flat.overlapping };
}

/**
 * A segmentation of several layers as a 3D Slicer `.seg.nrrd` that keeps them (a 4-D file, layers first), so
 * overlapping segments survive, as Slicer stores them. No ITK-SNAP file is written beside it: its lines are keyed
 * by value alone, and layers may reuse values.
 */
async function writeLayeredSegNrrd(job: MaskExport): Promise<{ warnings: string[]; overlapping: number }> {
  const { dimensions, spacing, origin, direction } = job.volume;
  const wide = job.layers.some((layer) => layer instanceof Uint16Array);
  const layers = job.layers.map((layer) => (wide && !(layer instanceof Uint16Array) ? Uint16Array.from(layer) : layer));
  const labels = createVolume({
    dimensions,
    spacing,
    origin,
    direction,
    voxels: layers[0]!,
    metadata: { format: 'nrrd', seriesDescription: job.name, windowPresets: [], fileCount: 1 },
  });
  const keyValues = slicerSegmentationFields(layers, dimensions, job.segments);
  await writeNrrd(labels, job.path, { inputs: job.inputs, keyValues, moreSamples: layers.slice(1) });
  return { warnings: [`${layers.length} overlapping layers kept; the names are in the Slicer file only (no ITK-SNAP label file)`], overlapping: 0 };
}

/**
 * Writes the ITK-SNAP label description file beside a label map (`<stem>.label.txt`, see labelNameFilesFor),
 * atomically. It is never written over an input, nor over a name file beside one (a name file Axial may have
 * read the names from): then the map is kept and a warning says the names were not written.
 * @throws AxialError OUTPUT_WRITE_FAILED when the write fails.
 */
async function writeLabelDescriptions(mapPath: string, segments: readonly SegmentDef[], inputs: readonly string[]): Promise<string[]> {
  const target = labelNameFilesFor(mapPath)[0]!;
  const besideInputs = await existing(inputs.filter((input) => /\.(nii|nii\.gz|nrrd|nhdr)$/i.test(input)).flatMap(labelNameFilesFor));
  try {
    await writeFileAtomic(target, [Buffer.from(formatItkSnapLabels(segments), 'utf8')], [...inputs, ...besideInputs]);
    return [];
  } catch (error) {
    if (isAxialError(error) && error.code === 'OUTPUT_IS_INPUT')
      return [`label names not written: ${basename(target)} is a file the segmentation was opened with`];
    throw error;
  }
}

async function existing(paths: readonly string[]): Promise<string[]> {
  const found = await Promise.all(
    paths.map((p) =>
      stat(p).then(
        () => p,
        () => undefined,
      ),
    ),
  );
  return found.filter((p): p is string => p !== undefined);
}
