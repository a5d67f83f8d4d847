import type { VolumeHeader, WindowPresetInfo } from '../../core/contract.js';
import type { ScannedSeries } from './scanInput.js';
import type { Volume } from '../volume/Volume.js';
import { orientationCode } from '../volume/volumeTransforms.js';
import { valueRange } from '../volume/valueRange.js';

export interface DescribeVolumeParams {
  readonly volumeId: string;
  readonly volume: Volume;
  readonly series: ScannedSeries;
  readonly warnings: readonly string[];
  readonly dataUrl: string;
  /** The voxels' smallest and largest value, when already known (the loader finds it on its worker). */
  readonly range?: [number, number];
}

/** Radiology's usual CT windows, offered after the file's own. */
const ctPresets: readonly WindowPresetInfo[] = [
  { name: 'Soft tissue', center: 40, width: 400 },
  { name: 'Lung', center: -600, width: 1500 },
  { name: 'Bone', center: 400, width: 1800 },
  { name: 'Brain', center: 40, width: 80 },
];

/** The header the renderer gets for a loaded volume: geometry, display hints and the details panel. */
export function describeVolume(params: DescribeVolumeParams): Omit<VolumeHeader, 'recovery' | 'measurements'> {
  const { volume, series } = params;
  const meta = volume.metadata;
  const range = finiteRange(params.range ?? valueRange(volume));
  const modality = series.modality || meta.modality || '';
  const description = series.description || meta.seriesDescription || '';
  return {
    volumeId: params.volumeId,
    dimensions: [...volume.dimensions],
    spacing: [...volume.spacing],
    origin: [...volume.origin],
    direction: [[...volume.direction[0]], [...volume.direction[1]], [...volume.direction[2]]],
    dataType: volume.dataType,
    range,
    units: meta.units ?? null,
    modality,
    description,
    windowPresets: windowPresets(volume, modality, range),
    invertDisplay: meta.invertDisplay ?? false,
    details: detailRows(volume, series, modality, description),
    warnings: [...params.warnings],
    dataUrl: params.dataUrl,
    format: meta.format,
  };
}

function finiteRange([min, max]: [number, number]): [number, number] {
  return Number.isFinite(min) && Number.isFinite(max) ? [min, max] : [0, 0];
}

/** The file's own presets first (named when the file did not), then the modality's, then the full range. */
function windowPresets(volume: Volume, modality: string, [min, max]: readonly [number, number]): WindowPresetInfo[] {
  const fromFile = volume.metadata.windowPresets
    .filter((p) => Number.isFinite(p.center) && Number.isFinite(p.width) && p.width > 0)
    .map((p, n) => ({ center: p.center, width: p.width, name: p.name || `From file ${n + 1}` }));
  const standard = modality.toUpperCase() === 'CT' || volume.metadata.units === 'HU' ? ctPresets : [];
  const full = { name: 'Full range', center: (min + max) / 2, width: Math.max(max - min, 1) };
  return [...fromFile, ...standard, full];
}

function detailRows(volume: Volume, series: ScannedSeries, modality: string, description: string): [string, string][] {
  const meta = volume.metadata;
  const joined = (...parts: (string | number | undefined)[]): string => parts.filter((p) => p !== undefined && p !== '').join(' · ') || '—';
  const formatNames = { dicom: 'DICOM', nifti: 'NIfTI', nrrd: 'NRRD' } as const;
  return [
    ['Patient', joined(meta.patientName, meta.patientId)],
    ['Study', joined(meta.studyDescription, meta.studyInstanceUid)],
    ['Series', joined(meta.seriesNumber, description, meta.seriesInstanceUid ?? (series.uid || undefined))],
    ['Modality', modality || '—'],
    ['Source format', formatNames[series.format]],
    ['Files', String(series.files.length)],
    ['Orientation', orientationCode(volume)],
    ['Dimensions', volume.dimensions.join(' × ')],
    ['Spacing', `${volume.spacing.map((s) => s.toFixed(3)).join(' × ')} mm`],
  ];
}
