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

/** Percentile windows for MR and other modalities without fixed units. */
export const percentilePresets: readonly { id: string; name: string; low: number; high: number }[] = [
  { id: 'mr-auto', name: 'Auto (1–99 %)', low: 0.01, high: 0.99 },
  { id: 'mr-wide', name: 'Wide (0.1–99.9 %)', low: 0.001, high: 0.999 },
  { id: 'mr-contrast', name: 'Contrast (5–95 %)', low: 0.05, high: 0.95 },
];

const bins = 4096;
const maxSamples = 1 << 20;

/**
 * The window from the `low` to the `high` quantile of the voxel values,
 * from a histogram of at most ~1M evenly strided samples over `range`
 * (accurate to 1/4096 of the range). NaNs are ignored.
 */
export function percentileWindow(voxels: NumericArray, range: readonly [number, number], low: number, high: number): VoiWindow {
  const [min, max] = range;
  const span = max - min;
  if (!(span > 0) || voxels.length === 0) return { center: min, width: 1 };
  const histogram = new Float64Array(bins);
  const step = Math.max(1, Math.floor(voxels.length / maxSamples));
  const scale = (bins - 1) / span;
  let total = 0;
  for (let n = 0; n < voxels.length; n += step) {
    const v = voxels[n]!;
    if (v !== v) continue;
    const bin = Math.floor((v - min) * scale);
    histogram[bin < 0 ? 0 : bin >= bins ? bins - 1 : bin]! += 1;
    total++;
  }
  const lower = quantile(histogram, total, low, min, span);
  const upper = quantile(histogram, total, high, min, span);
  const width = Math.max(upper - lower, span / bins);
  return { center: (lower + upper) / 2, width };
}

function quantile(histogram: Float64Array, total: number, fraction: number, min: number, span: number): number {
  const target = fraction * total;
  let seen = 0;
  for (let b = 0; b < histogram.length; b++) {
    seen += histogram[b]!;
    if (seen >= target) return min + ((b + 0.5) / (histogram.length - 1)) * span;
  }
  return min + span;
}

/** The window a volume opens with: its file's first preset, else soft tissue for CT, else 1–99 %. */
export function initialWindow(params: {
  readonly modality: string;
  readonly units: string | null;
  readonly filePresets: readonly VoiWindow[];
  readonly voxels: NumericArray;
  readonly range: readonly [number, number];
}): VoiWindow {
  const first = params.filePresets[0];
  if (first && first.width > 0) return { center: first.center, width: first.width };
  if (isCt(params.modality, params.units)) return ctPresets[0]!;
  return percentileWindow(params.voxels, params.range, 0.01, 0.99);
}

/** Whether fixed HU windows make sense for this volume. */
export function isCt(modality: string, units: string | null): boolean {
  return modality.toUpperCase() === 'CT' || units === 'HU';
}
