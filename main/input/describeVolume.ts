import type { VolumeHeader, WindowPresetInfo } from '../../core/contract.js';
import type { ScannedSeries } from './scanInput.js';
import { patientId, personName } from './studyInfoOf.js';
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

/**
 * The header the renderer gets for a loaded volume: geometry, display hints and the details panel.
 * `units` is the real unit or null ('normalized' and DICOM's 'US', unspecified, say nothing); a volume
 * with no modality whose values look like Hounsfield units (see looksLikeHounsfield) gets 'HU', so the
 * renderer offers it the CT windows and opens it in soft tissue. `windowPresets` are the file's own
 * windows only, named as users know them (see presetName): the renderer adds the modality's.
 */
export function describeVolume(params: DescribeVolumeParams): Omit<VolumeHeader, 'recovery' | 'measurements'> {
  const { volume, series } = params;
  const meta = volume.metadata;
  const range = finiteRange(params.range ?? valueRange(volume));
  const modality = series.modality || meta.modality || '';
  const description = series.description || meta.seriesDescription || '';
  const huByValues = !modality && !realUnit(meta.units) && looksLikeHounsfield(volume.voxels, range);
  const units = huByValues ? 'HU' : realUnit(meta.units);
  return {
    volumeId: params.volumeId,
    dimensions: [...volume.dimensions],
    spacing: [...volume.spacing],
    origin: [...volume.origin],
    direction: [[...volume.direction[0]], [...volume.direction[1]], [...volume.direction[2]]],
    dataType: volume.dataType,
    range,
    units,
    modality,
    description,
    windowPresets: filePresets(volume),
    invertDisplay: meta.invertDisplay ?? false,
    details: detailRows({ volume, series, modality, description, range, units, huByValues }),
    warnings: [...params.warnings],
    dataUrl: params.dataUrl,
    format: meta.format,
  };
}

function finiteRange([min, max]: [number, number]): [number, number] {
  return Number.isFinite(min) && Number.isFinite(max) ? [min, max] : [0, 0];
}

/** Words files put in the unit's place that tell a reader nothing (DICOM RescaleType US is "unspecified"; Philips writes "normalized"). */
const emptyUnits = new Set(['', 'us', 'normalized', 'none', 'unspecified', 'arbitrary', 'au', 'a.u.']);

/** The file's unit when it is one a reader can use, else null. */
export function realUnit(units: string | undefined): string | null {
  const trimmed = units?.trim() ?? '';
  return emptyUnits.has(trimmed.toLowerCase()) ? null : trimmed;
}

const sampleCount = 1 << 16;
const sampleRun = 64;

/**
 * Whether a volume of unknown modality holds CT values in Hounsfield units. The rule, chosen on the real
 * files at hand: its smallest value lies between −3100 and −900 (air is −1000; scanners pad outside the
 * field of view with −1024, −2048 or −3024, never lower), its largest is at least 300 (bone, contrast),
 * and at least 1 % of ~65k samples (runs of 64 spread evenly) are at or below −900 (a body CT holds air around and
 * inside the patient). TotalSegmentator's CT (−1100…1207, 31 % air) and niivue's shear.nii.gz (a scaled
 * 8-bit CT, −1024…789, 77 % air) pass; their MR (−47…833), nibabel's anatomical.nii (−610…30393),
 * FLAIR (0…255) and a Siemens phase map (−4096…4094) do not. Integer values are not required: scaled
 * 8-bit and resampled CTs are not integers. A tightly cropped CT with no air is missed (and opens from
 * percentiles, as MR does).
 */
export function looksLikeHounsfield(voxels: ArrayLike<number>, [min, max]: readonly [number, number]): boolean {
  if (!(min >= -3100 && min <= -900 && max >= 300)) return false;
  // Runs of 64 neighbours, evenly spread: single voxels far apart cost a cache miss each.
  const step = Math.max(sampleRun, Math.floor(voxels.length / (sampleCount / sampleRun)));
  let seen = 0;
  let air = 0;
  for (let start = 0; start < voxels.length; start += step) {
    const end = Math.min(start + sampleRun, voxels.length);
    for (let n = start; n < end; n++) if (voxels[n]! <= -900) air++;
    seen += end - start;
  }
  return seen > 0 && air / seen >= 0.01;
}

/** The file's own windows with a positive width, named as users know them. */
function filePresets(volume: Volume): WindowPresetInfo[] {
  return volume.metadata.windowPresets
    .filter((p) => Number.isFinite(p.center) && Number.isFinite(p.width) && p.width > 0)
    .map((p, n) => ({ center: p.center, width: p.width, name: presetName(p.name, n) }));
}

/** Explanations that name nothing: scanners' "WINDOW1", "Algo1", "User 2", "W/L", "Default"; NIfTI's "cal_min/cal_max". */
const meaninglessName = /^(window|algo(rithm)?|user|default|preset|voi|w\s*\/\s*l|wl|file|from file|center|width|cal_min\s*\/\s*cal_max)?[\s_#-]*\d*$/i;

/**
 * A window's name: the DICOM WindowCenterWidthExplanation when it means something ("BRAIN" becomes
 * "Brain"; mixed case is kept), else "File n" (n from 1, in the file's order).
 */
export function presetName(explanation: string | undefined, index: number): string {
  const name = (explanation ?? '').trim();
  if (meaninglessName.test(name)) return `File ${index + 1}`;
  return name === name.toUpperCase() ? name.charAt(0) + name.slice(1).toLowerCase() : name;
}

/**
 * A value range rounded to what a reader needs: whole numbers once it spans 100 or more, then one more
 * decimal for each tenfold narrower span ("0 … 2803", "0 … 92.6", "0 … 0.75").
 */
export function formatValueRange([min, max]: readonly [number, number], units: string | null): string {
  const span = max - min;
  const decimals = span > 0 ? Math.min(6, Math.max(0, 2 - Math.floor(Math.log10(span)))) : 0;
  const round = (v: number): string => {
    // Integers exactly up to 1e15 (an atlas's label IDs), past it and for other values from a million up, four
    // significant figures: 3e30 is an integer too, and its digits mean nothing to a reader.
    if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
    if (Math.abs(v) >= 1e6) return v.toExponential(3);
    const text = String(Number(v.toFixed(decimals)));
    return text === '-0' ? '0' : text;
  };
  return `${round(min)} … ${round(max)}${units ? ` ${units}` : ''}`;
}

interface DetailParams {
  readonly volume: Volume;
  readonly series: ScannedSeries;
  readonly modality: string;
  readonly description: string;
  readonly range: readonly [number, number];
  readonly units: string | null;
  readonly huByValues: boolean;
}

/**
 * The details panel's rows, for people: the patient's name and ID as the views' corners write them, the
 * series as its number and description, the value range rounded. The UIDs come last, in rows whose names end in "UID", for the panel to keep behind a Details
 * disclosure (no one reads a 60-digit UID; they are there to tell two series apart when asked).
 */
function detailRows(params: DetailParams): [string, string][] {
  const { volume, series, modality, description, range, units } = params;
  const meta = volume.metadata;
  // As the views' corners have them: "DOE, JANE · ID AX-0042", a patient ID that is a UID left out.
  const readableId = patientId(meta.patientId);
  const joined = (...parts: (string | number | undefined)[]): string => parts.filter((p) => p !== undefined && p !== '').join(' · ') || '—';
  const formatNames = { dicom: 'DICOM', nifti: 'NIfTI', nrrd: 'NRRD' } as const;
  const rows: [string, string][] = [
    ['Patient', joined(personName(meta.patientName), readableId && `ID ${readableId}`)],
    ['Study', joined(meta.studyDescription)],
    ['Series', joined(meta.seriesNumber, description)],
    ['Modality', modality || (params.huByValues ? 'CT (judged from its values in HU)' : '—')],
    ['Source format', formatNames[series.format]],
    ['Files', String(series.files.length)],
    ['Orientation', orientationCode(volume)],
    ['Dimensions', volume.dimensions.join(' × ')],
    ['Spacing', `${volume.spacing.map((s) => s.toFixed(3)).join(' × ')} mm`],
    ['Value range', formatValueRange(range, units)],
  ];
  const studyUid = meta.studyInstanceUid;
  const seriesUid = meta.seriesInstanceUid ?? (series.format === 'dicom' && series.uid ? series.uid : undefined);
  if (studyUid) rows.push(['Study UID', studyUid]);
  if (seriesUid) rows.push(['Series UID', seriesUid]);
  return rows;
}
