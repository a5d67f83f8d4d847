import type { LoadedVolume } from '../data/LoadedVolume.js';
import { ctPresets, formatWindow, isCt, percentilePresets, percentileWindow, type VoiWindow } from './windowPresets.js';

/** One window preset as the preset bar offers it; the n-th (from 1) also answers to key n. */
export interface PresetChoice {
  readonly testId: string;
  readonly name: string;
  readonly title?: string;
  readonly window: () => VoiWindow;
}

const fixedNames = new Set(ctPresets.map((p) => p.name.toLowerCase()));

/**
 * The window presets for a volume, in the bar's order: the fixed CT ones (for CT, and for a NIfTI/NRRD
 * whose values main judged to be HU), or percentiles of the non-zero voxels for MR and others; then the
 * file's own (test id preset-file-<n>, n counting from 1 in the header's list, named by main: the DICOM
 * explanation or "File n"; one that repeats a fixed CT window's name is left out); then Full range.
 */
export function presetList(volume: LoadedVolume): PresetChoice[] {
  const { header, voxels } = volume;
  const ct = isCt(header.modality, header.units);
  const standard: PresetChoice[] = ct
    ? ctPresets.map((p) => ({ testId: `preset-${p.id}`, name: p.name, title: formatWindow(p), window: () => p }))
    : percentilePresets.map((p) => ({
        testId: `preset-${p.id}`,
        name: p.name,
        title: `${percent(p.low)}–${percent(p.high)} % of the non-zero voxels`,
        window: () => percentileWindow(voxels, header.range, p.low, p.high),
      }));
  const own = header.windowPresets.flatMap((p, n) => {
    if (ct && p.name && fixedNames.has(p.name.toLowerCase())) return [];
    const window = { center: p.center, width: p.width };
    return [{ testId: `preset-file-${n + 1}`, name: p.name ?? `File ${n + 1}`, title: `${formatWindow(window)}, from the file`, window: () => window }];
  });
  const [min, max] = header.range;
  const full = { center: (min + max) / 2, width: Math.max(max - min, 1) };
  return [...standard, ...own, { testId: 'preset-full', name: 'Full range', title: formatWindow(full), window: () => full }];
}

function percent(fraction: number): string {
  return String(Number((fraction * 100).toFixed(1)));
}
