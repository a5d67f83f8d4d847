import type { StudyInfo } from '../../../core/contract.js';
import { formatWindow, type VoiWindow } from '../../display/windowPresets.js';

/** The text of a view's four corners, each a list of lines from the most needed down. */
export interface OverlayCorners {
  readonly topLeft: readonly string[];
  readonly topRight: readonly string[];
  readonly bottomLeft: readonly string[];
  readonly bottomRight: readonly string[];
}

/** What a view's corners tell, as the renderer knows it now. */
export interface OverlayFacts {
  /** main's formatted study facts (volume:load's `study`; {} for NIfTI and NRRD). */
  readonly study: StudyInfo;
  /** The series' description, or the file's name for NIfTI and NRRD (the header's `description`). */
  readonly description: string;
  /** 0-based slice and slice count of a standard view; null for an oblique plane, which has no image number. */
  readonly slice: { readonly index: number; readonly count: number } | null;
  /** 0-based time point and count of a 4D series; null for a 3D one. */
  readonly time: { readonly index: number; readonly count: number } | null;
  /** Position of the plane along its normal, mm (see sliceLocation). */
  readonly locationMm: number;
  /** How far apart the view's slices are, mm: the location gets the decimals that tell neighbours apart. */
  readonly sliceSpacingMm: number;
  readonly thicknessMm: number;
  /** The slab's name ('MIP', 'MinIP', 'Mean') when one is shown: its thickness replaces the slice's. */
  readonly slab: string | null;
  readonly voi: VoiWindow;
  /** CSS pixels per image pixel of the view's plane (cornerstone's scale at device pixel ratio 1). */
  readonly zoom: number;
}

/**
 * The corners as Horos, Weasis and OHIF lay them out: top left the patient (name, ID, birth date with age
 * at the study and sex), top right the study (date and time, description) and series (number and
 * description), bottom left the slice (image number, time point of a 4D series, location and thickness in mm), bottom right the
 * window and zoom. Unknown facts are left out, not shown empty; no line holds a UID or a run of 15 digits.
 */
export function overlayLines(facts: OverlayFacts): OverlayCorners {
  const { study } = facts;
  const age = study.patientBirthDate && study.studyDate ? ageAt(study.patientBirthDate, study.studyDate) : null;
  const born = study.patientBirthDate ? `DOB ${study.patientBirthDate}${age ? ` (${age})` : ''}` : '';
  const seriesName = study.seriesDescription ?? facts.description;
  const series = study.seriesNumber !== undefined ? [`Se ${study.seriesNumber}`, seriesName].filter(Boolean).join(' · ') : seriesName;
  const thickness = `${facts.slab ?? 'Thk'} ${millimetres(facts.thicknessMm)} mm`;
  // Enough decimals that the next slice's location reads differently (a micro-CT's 0.02 mm slices need two).
  const locationDecimals = decimalsFor(facts.sliceSpacingMm);
  return {
    topLeft: clean([study.patientName, study.patientId && `ID ${study.patientId}`, [born, study.patientSex].filter(Boolean).join(' ')]),
    topRight: clean([[study.studyDate, study.studyTime].filter(Boolean).join(' '), study.studyDescription, series]),
    bottomLeft: clean([
      facts.slice && `Im ${facts.slice.index + 1}/${facts.slice.count}`,
      facts.time && `t ${facts.time.index + 1}/${facts.time.count}`,
      Number.isFinite(facts.locationMm) && `Loc ${signed(facts.locationMm, locationDecimals)} mm`,
      facts.thicknessMm > 0 && thickness,
    ]),
    bottomRight: clean([windowText(facts.voi), facts.zoom > 0 && zoomText(facts.zoom)]),
  };
}

/** "W 400 L −40": formatWindow's rounding, with the corners' typographic minus like their other numbers. */
export function windowText(voi: VoiWindow): string {
  return formatWindow(voi, ' ').replaceAll('-', '−');
}

/** "Zoom 1.5×": two decimals at most, trailing zeros dropped. */
export function zoomText(zoom: number): string {
  return `Zoom ${Number(zoom.toFixed(2))}×`;
}

/**
 * Age at the study from two YYYY-MM-DD dates: "52 y", or "7 mo" under a year (radiology reports age so);
 * null when the birth date is after the study date.
 */
export function ageAt(birth: string, at: string): string | null {
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number];
  const [ay, am, ad] = at.split('-').map(Number) as [number, number, number];
  const months = (ay - by) * 12 + (am - bm) - (ad < bd ? 1 : 0);
  if (!Number.isFinite(months) || months < 0) return null;
  return months >= 12 ? `${Math.floor(months / 12)} y` : `${months} mo`;
}

/** A thickness in mm: one decimal, two under 1 mm (0.625 mm slices), more under 0.01 mm (decimalsFor). */
function millimetres(mm: number): string {
  return signed(mm, Math.abs(mm) < 1 && mm !== 0 ? Math.max(2, decimalsFor(Math.abs(mm))) : 1);
}

/** Decimals that tell apart two values `stepMm` apart: one from 0.1 mm up, at most four (0.1 µm). */
function decimalsFor(stepMm: number): number {
  return stepMm > 0 && stepMm < 0.1 ? Math.min(4, Math.ceil(-Math.log10(stepMm) - 1e-9)) : 1;
}

function signed(value: number, decimals: number): string {
  const text = value.toFixed(decimals);
  return Number(text) === 0 ? (0).toFixed(decimals) : text.replace('-', '−');
}

/** The lines that say something, made safe for the screen. */
function clean(lines: readonly (string | number | false | null | undefined)[]): string[] {
  return lines
    .filter((l): l is string => typeof l === 'string' && l.trim() !== '')
    .map(screenText)
    .filter(Boolean);
}

/**
 * A file's text as a clinician may see it: control characters and runs of spaces become one space, a
 * UID-like token (4+ dotted numbers) goes, and a run of 15 or more digits keeps only its last 6, after "…".
 */
export function screenText(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\b\d+(\.\d+){3,}\b/g, '')
    .replace(/\d{15,}/g, (run) => `…${run.slice(-6)}`)
    .replace(/\s+/g, ' ')
    .trim();
}
