import type { LoadedVolume } from '../data/LoadedVolume.js';
import { ctPresets, isCt, percentilePresets, percentileWindow, type VoiWindow } from './windowPresets.js';

/** One window preset as the preset bar offers it; the n-th (from 1) also answers to key n. */
export interface PresetChoice {
  readonly testId: string;
  readonly name: string;
  readonly title?: string;
  readonly window: () => VoiWindow;
}

const fixedNames = new Set(ctPresets.map((p) => p.name.toLowerCase()));

/**
 * The window presets for a volume, in the bar's order: the fixed CT ones, or
 * percentiles of the volume for MR and others, then the header's own (test
 * id preset-file-<n>, n counting from 1 in the header's list; a header preset
 * that repeats a fixed CT window is left out).
 */
export function presetList(volume: LoadedVolume): PresetChoice[] {
  const { header, voxels } = volume;
  const ct = isCt(header.modality, header.units);
  const standard: PresetChoice[] = ct
    ? ctPresets.map((p) => ({ testId: `preset-${p.id}`, name: p.name, title: `W ${p.width} / L ${p.center}`, window: () => p }))
    : percentilePresets.map((p) => ({ testId: `preset-${p.id}`, name: p.name, window: () => percentileWindow(voxels, header.range, p.low, p.high) }));
  const own = header.windowPresets.flatMap((p, n) =>
    ct && p.name && fixedNames.has(p.name.toLowerCase())
      ? []
      : [{ testId: `preset-file-${n + 1}`, name: p.name ?? `File ${n + 1}`, window: () => ({ center: p.center, width: p.width }) }],
  );
  return [...standard, ...own];
}
