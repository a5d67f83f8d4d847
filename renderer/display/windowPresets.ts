import { firstWindow } from '../../core/display/firstWindow.js';
import { keepSmallestVisible } from '../../core/display/keepSmallestVisible.js';
import type { NumericArray } from '../../core/voxels/NumericArray.js';

/** A window (VOI) in the volume's own units (HU for CT). */
export interface VoiWindow {
  readonly center: number;
  readonly width: number;
}

export interface WindowPreset extends VoiWindow {
  /** Stable id, used in data-testid="preset-<id>". */
  readonly id: string;
  readonly name: string;
}

/** The usual CT windows (centre/width in HU). */
export const ctPresets: readonly WindowPreset[] = [
  { id: 'soft-tissue', name: 'Soft tissue', center: 40, width: 400 },
  { id: 'lung', name: 'Lung', center: -600, width: 1500 },
  { id: 'bone', name: 'Bone', center: 400, width: 1800 },
  { id: 'brain', name: 'Brain', center: 40, width: 80 },
];

export interface PercentilePreset {
  readonly id: string;
  readonly name: string;
  readonly low: number;
  readonly high: number;
}

/**
 * Percentile windows for MR and other modalities without fixed units, over the non-zero voxels (the
 * background outside the body is zero and would pull the lower bound down). The first is the one MR
 * opens with: 0.5–99.5 % leaves the brightest specks (vessels, fat) out and keeps the tissue.
 */
export const percentilePresets: readonly PercentilePreset[] = [
  { id: 'mr-auto', name: 'Auto', low: 0.005, high: 0.995 },
  { id: 'mr-wide', name: 'Wide', low: 0.001, high: 0.999 },
  { id: 'mr-contrast', name: 'Contrast', low: 0.05, high: 0.95 },
];

const bins = 4096;
const maxSamples = 1 << 20;
const run = 64;

/** A histogram of the non-zero values, and what keepSmallestVisible needs to know of them. */
interface Histogram {
  readonly counts: Float64Array;
  readonly total: number;
  /** The smallest non-zero value sampled (Infinity when none). */
  readonly smallest: number;
  readonly whole: boolean;
  /** Distinct non-zero values sampled, counted up to 257. */
  readonly distinct: number;
  readonly hasZero: boolean;
}

/**
 * The histogram of a volume's non-zero values over `range`, from at most ~1M samples in evenly spread runs
 * (4096 bins, so a quantile is exact to 1/4096 of the range): no sort of the whole volume. NaNs are left out.
 */
function histogramOf(voxels: NumericArray, min: number, span: number): Histogram {
  const counts = new Float64Array(bins);
  // Runs of 64 neighbours, evenly spread: single voxels 75 apart cost a cache miss each (50-90 ms on 512x512x300).
  const step = Math.max(run, Math.floor(voxels.length / (maxSamples / run)));
  const scale = bins / span;
  let total = 0;
  let smallest = Infinity;
  let whole = true;
  let hasZero = false;
  const values = new Set<number>();
  for (let start = 0; start < voxels.length; start += step) {
    const end = Math.min(start + run, voxels.length);
    for (let n = start; n < end; n++) {
      const v = voxels[n]!;
      if (v === 0) {
        hasZero = true;
        continue;
      }
      if (v !== v) continue;
      const bin = Math.floor((v - min) * scale);
      counts[bin < 0 ? 0 : bin >= bins ? bins - 1 : bin]! += 1;
      total++;
      if (v < smallest) smallest = v;
      if (whole && v !== Math.floor(v)) whole = false;
      if (values.size <= 256) values.add(v);
    }
  }
  return { counts, total, smallest, whole, distinct: values.size, hasZero };
}

/** Histograms already made, per voxel array: the preset bar asks for its windows on every render. */
const histograms = new WeakMap<NumericArray, Histogram & { min: number; span: number }>();

function cachedHistogram(voxels: NumericArray, min: number, span: number): Histogram {
  const known = histograms.get(voxels);
  if (known && known.min === min && known.span === span) return known;
  const made = { min, span, ...histogramOf(voxels, min, span) };
  histograms.set(voxels, made);
  return made;
}

/**
 * The window from the `low` to the `high` quantile of the non-zero voxel values (see histogramOf; a
 * quantile is the centre of its bin). A volume with no non-zero value, or a single value, gets a window
 * of width 1 at its minimum. A lower edge in the smallest non-zero value's bin moves one step below that value
 * (core's keepSmallestVisible): a label map's label 1 is not black like the background, a mask's one value shows white;
 * whole-number data with few values (a label map) spans one below its smallest non-zero value to its maximum.
 * `forDisplay: false` leaves the edge at the quantile (a value range, such as the threshold brush's, not a window).
 */
export function percentileWindow(
  voxels: NumericArray,
  range: readonly [number, number],
  low: number,
  high: number,
  options: { readonly forDisplay?: boolean } = {},
): VoiWindow {
  const [min, max] = range;
  const span = max - min;
  if (!(span > 0) || voxels.length === 0) return { center: min, width: 1 };
  const histogram = cachedHistogram(voxels, min, span);
  const { counts, total } = histogram;
  if (total === 0) return { center: min, width: 1 };
  const lowerBin = quantileBin(counts, total, low);
  const quantileUpper = valueOfBin(quantileBin(counts, total, high), min, span);
  const quantileLower = valueOfBin(lowerBin, min, span);
  const { lower, upper } =
    options.forDisplay === false
      ? { lower: quantileLower, upper: quantileUpper }
      : keepSmallestVisible({
          lower: quantileLower,
          upper: quantileUpper,
          atSmallest: lowerBin === Math.min(bins - 1, Math.max(0, Math.floor(((histogram.smallest - min) * bins) / span))),
          smallest: histogram.smallest,
          largest: max,
          whole: histogram.whole,
          distinct: histogram.distinct,
          hasZero: histogram.hasZero,
          binWidth: span / bins,
        });
  const width = Math.max(upper - lower, span / bins);
  return { center: (lower + upper) / 2, width };
}

/** The bin the `fraction` quantile falls in (the last when rounding leaves it past the end). */
function quantileBin(counts: Float64Array, total: number, fraction: number): number {
  const target = fraction * total;
  let seen = 0;
  for (let b = 0; b < counts.length; b++) {
    seen += counts[b]!;
    if (seen >= target) return b;
  }
  return counts.length;
}

/** A bin's centre as a value (the range's top for the bin past the end). */
function valueOfBin(bin: number, min: number, span: number): number {
  return bin >= bins ? min + span : min + ((bin + 0.5) / bins) * span;
}

/**
 * The window a volume opens with (core's firstWindow, the rule the recent list's thumbnails share): CT its
 * file's first reading window or Soft tissue; others the file's first window when representative, else the
 * Auto percentiles (0.5–99.5 % of the non-zero voxels).
 */
export function initialWindow(params: {
  readonly modality: string;
  readonly units: string | null;
  readonly filePresets: readonly VoiWindow[];
  readonly voxels: NumericArray;
  readonly range: readonly [number, number];
}): VoiWindow {
  const auto = percentilePresets[0]!;
  return firstWindow({
    ct: isCt(params.modality, params.units),
    file: params.filePresets[0],
    robust: () => percentileWindow(params.voxels, params.range, auto.low, auto.high),
  });
}

/** Whether fixed HU windows make sense for this volume (main gives units HU to a NIfTI whose values are HU). */
export function isCt(modality: string, units: string | null): boolean {
  return modality.toUpperCase() === 'CT' || units === 'HU';
}

/** Whether two windows are the same to within a hundredth of the narrower one's width (a preset is "on"). */
export function sameWindow(a: VoiWindow, b: VoiWindow): boolean {
  const tolerance = Math.min(a.width, b.width) / 100;
  return Math.abs(a.center - b.center) <= tolerance && Math.abs(a.width - b.width) <= tolerance;
}

/**
 * A window for people: "W 448 / L -7", whole numbers; one decimal when the window is narrower than 10
 * (a map of values between 0 and 1), more only when narrower than 0.1. `separator` goes between the
 * width and the level (the views' corners have "W 448 L -7").
 */
export function formatWindow(voi: VoiWindow, separator = ' / '): string {
  const decimals = voi.width >= 10 ? 0 : voi.width >= 0.1 ? 1 : 3;
  const round = (v: number): string => {
    // Past a million (a float file's 1e30), figures that fit the toolbar and the corners.
    if (Math.abs(v) >= 1e6) return v.toExponential(2);
    const text = v.toFixed(decimals);
    return Number(text) === 0 ? (0).toFixed(decimals) : text;
  };
  return `W ${round(voi.width)}${separator}L ${round(voi.center)}`;
}
