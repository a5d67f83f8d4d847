import { describe, expect, it } from 'vitest';
import { readNifti } from '../../../../main/nifti/readNifti.js';
import { valueRange } from '../../../../main/volume/valueRange.js';
import { ctPresets, formatWindow, initialWindow, percentileWindow, sameWindow } from '../../../../renderer/display/windowPresets.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../../sharedData.js';

describe('window presets', () => {
  it('has the usual CT windows', () => {
    expect(ctPresets.map((p) => [p.id, p.center, p.width])).toEqual([
      ['soft-tissue', 40, 400],
      ['lung', -600, 1500],
      ['bone', 400, 1800],
      ['brain', 40, 80],
    ]);
  });

  it('finds percentiles of the non-zero values of a known ramp to within a histogram bin', () => {
    // 1000 zeros of background, then 0.1 … 1000: the zeros must not move the lower bound.
    const ramp = Float32Array.from({ length: 11000 }, (_, n) => (n < 1000 ? 0 : (n - 999) / 10));
    const w = percentileWindow(ramp, [0, 1000], 0.01, 0.99);
    const bin = 1000 / 4096;
    expect(Math.abs(w.center - w.width / 2 - 10)).toBeLessThan(bin);
    expect(Math.abs(w.center + w.width / 2 - 990)).toBeLessThan(bin);
  });

  /** The grey (0 black … 255 white) a value takes in a window, as the views draw it. */
  const greyIn = (w: { center: number; width: number }, v: number): number =>
    Math.max(0, Math.min(255, Math.round(((v - (w.center - w.width / 2)) / w.width) * 255)));

  it('shows label 1 of a label map 0..3 opened as a scan above black: the lower edge one below it', () => {
    const labels = Uint8Array.from({ length: 4000 }, (_, n) => (n < 1000 ? 0 : 1 + (n % 3)));
    const w = percentileWindow(labels, [0, 3], 0.005, 0.995);
    const bin = 3 / 4096;
    expect(Math.abs(w.center - w.width / 2 - 0)).toBeLessThan(1e-9);
    expect(Math.abs(w.center + w.width / 2 - 3)).toBeLessThan(bin);
    expect([0, 1, 2, 3].map((v) => greyIn(w, v))).toEqual([0, 85, 170, 255]);
    // A value range (the threshold brush's) keeps its lower edge at label 1, never taking in the background.
    const range = percentileWindow(labels, [0, 3], 0.25, 0.995, { forDisplay: false });
    expect(Math.abs(range.center - range.width / 2 - 1)).toBeLessThan(bin);
  });

  it('shows a rare first label (0.3 % of the labelled voxels) above black, and labels 0..5 as evenly spaced greys', () => {
    const labels = Uint8Array.from({ length: 100_000 }, (_, n) => (n < 50_000 ? 0 : n < 50_150 ? 1 : 2 + (n % 4)));
    const w = percentileWindow(labels, [0, 5], 0.005, 0.995);
    expect([0, 1, 2, 3, 4, 5].map((v) => greyIn(w, v))).toEqual([0, 51, 102, 153, 204, 255]);
    // Labels far apart keep their own greys too: 0, 100, 200 → black, a mid grey, white (not 100 next to black).
    const sparse = Uint8Array.from({ length: 100_000 }, (_, n) => (n < 50_000 ? 0 : n % 2 ? 100 : 200));
    const s = percentileWindow(sparse, [0, 200], 0.005, 0.995);
    expect(s.center - s.width / 2).toBe(0);
    expect([0, 100, 200].map((v) => greyIn(s, v))).toEqual([0, 128, 255]);
  });

  it('leaves a CT window with a -1024 background at its quantiles', () => {
    const ct = Int16Array.from({ length: 100_000 }, (_, n) => (n < 40_000 ? -1024 : -1000 + (n % 2400)));
    const w = percentileWindow(ct, [-1024, 1399], 0.005, 0.995);
    const bin = 2423 / 4096;
    expect(Math.abs(w.center - w.width / 2 - -1024)).toBeLessThanOrEqual(bin);
    expect(Math.abs(w.center + w.width / 2 - 1380)).toBeLessThan(bin);
  });

  it('shows a mask whose non-zero voxels share one value white', () => {
    const mask = Int16Array.from({ length: 1000 }, (_, n) => (n % 4 === 0 ? 5 : 0));
    const w = percentileWindow(mask, [0, 5], 0.005, 0.995);
    // With its zero background the lower edge is zero itself: 0 black, 5 white.
    expect(w.center - w.width / 2).toBe(0);
    expect([0, 5].map((v) => greyIn(w, v))).toEqual([0, 255]);
  });

  it("keeps an MR-like ramp's window to within a bin, even where its smallest value is its 0.5 % quantile", () => {
    // 2000 zeros, then 1 … 3000 (whole, many distinct), 30 of them at the smallest value 1.
    const ramp = Int16Array.from({ length: 5000 }, (_, n) => (n < 2000 ? 0 : n < 2030 ? 1 : n - 2000));
    const w = percentileWindow(ramp, [0, 3000], 0.005, 0.995);
    const bin = 3000 / 4096;
    expect(Math.abs(w.center - w.width / 2 - 1)).toBeLessThanOrEqual(bin);
    expect(Math.abs(w.center + w.width / 2 - 2984)).toBeLessThan(bin);
    const smooth = Float32Array.from({ length: 11000 }, (_, n) => (n < 1000 ? 0 : (n - 999) / 10));
    const s = percentileWindow(smooth, [0, 1000], 0.005, 0.995);
    expect(Math.abs(s.center - s.width / 2 - 5)).toBeLessThan(1000 / 4096);
    expect(Math.abs(s.center + s.width / 2 - 995)).toBeLessThan(1000 / 4096);
  });

  it('gives an all-zero volume a window of width 1 rather than nothing', () => {
    expect(percentileWindow(new Int16Array(100), [0, 0], 0.005, 0.995)).toEqual({ center: 0, width: 1 });
  });

  it('opens CT at the file window when it is a reading window, else soft tissue', () => {
    const base = { voxels: new Int16Array(10), range: [0, 1] as const };
    expect(initialWindow({ ...base, modality: 'CT', units: 'HU', filePresets: [{ center: 50, width: 350 }] })).toEqual({ center: 50, width: 350 });
    expect(initialWindow({ ...base, modality: 'CT', units: 'HU', filePresets: [] })).toMatchObject({ center: 40, width: 400 });
    // A NIfTI in HU (no modality) whose cal_min/cal_max spans −1024…3071 is no reading window.
    expect(initialWindow({ ...base, modality: '', units: 'HU', filePresets: [{ center: 1023.5, width: 4095 }] })).toMatchObject({ center: 40, width: 400 });
  });

  it('opens MR at its file window only when that shows the tissue the percentiles show', () => {
    // Tissue spread evenly over 1…1200, background 0.
    const voxels = Int16Array.from({ length: 24000 }, (_, n) => (n < 12000 ? 0 : 1 + ((n - 12000) % 1200)));
    const base = { voxels, range: [0, 1200] as const, modality: 'MR', units: null };
    const robust = initialWindow({ ...base, filePresets: [] });
    // The 60th of 12000 tissue values (each of 1…1200 ten times) is 6; the 11940th is 1194.
    expect(robust.center - robust.width / 2).toBeCloseTo(6, 0);
    expect(robust.center + robust.width / 2).toBeCloseTo(1194, 0);
    // The MPRAGE's edge-slice window W502/L210 covers 38 % of it; the middle one W1168/L606 nearly all.
    expect(initialWindow({ ...base, filePresets: [{ center: 210, width: 502 }] })).toEqual(robust);
    expect(initialWindow({ ...base, filePresets: [{ center: 606, width: 1168 }] })).toEqual({ center: 606, width: 1168 });
    // A window 5 times too wide washes the tissue out.
    expect(initialWindow({ ...base, filePresets: [{ center: 600, width: 6000 }] })).toEqual(robust);
  });

  it('says which preset is on, to a hundredth of its width', () => {
    expect(sameWindow({ center: 40, width: 400 }, { center: 41, width: 403 })).toBe(true);
    expect(sameWindow({ center: 40, width: 400 }, { center: 45, width: 400 })).toBe(false);
  });

  it('writes the window for people: whole numbers, a decimal only for narrow windows', () => {
    expect(formatWindow({ center: -6.88, width: 447.55 })).toBe('W 448 / L -7');
    expect(formatWindow({ center: -600, width: 1500 })).toBe('W 1500 / L -600');
    expect(formatWindow({ center: 0.449, width: 0.87 })).toBe('W 0.9 / L 0.4');
    expect(formatWindow({ center: 1.9998778590429262e30, width: 1.9995116481183624e30 })).toBe('W 2.00e+30 / L 2.00e+30');
    expect(formatWindow({ center: -0.01, width: 0.05 })).toBe('W 0.050 / L -0.010');
    expect(formatWindow({ center: -0.2, width: 40 })).toBe('W 40 / L 0');
    expect(formatWindow({ center: -6.88, width: 447.55 }, ' ')).toBe('W 448 L -7');
  });

  it.skipIf(!hasSharedData)(`windows TotalSegmentator's MR from 0.5–99.5 % of its non-zero voxels (${noSharedDataReason})`, async () => {
    const { volume } = await readNifti(sharedData('nifti/totalseg/example_mr_sm.nii.gz'));
    const range = valueRange(volume);
    const w = initialWindow({ modality: '', units: null, filePresets: [], voxels: volume.voxels, range });
    // numpy: np.percentile(d[d != 0], [0.5, 99.5]) = -5, 694 (integers, so a bin of 0.21 lands on them).
    expect(w.center - w.width / 2).toBeCloseTo(-5, 0);
    expect(w.center + w.width / 2).toBeCloseTo(694, 0);
    const nonzero = volume.voxels.filter((v) => v !== 0);
    const above = nonzero.filter((v) => v > w.center + w.width / 2).length / nonzero.length;
    expect(above).toBeLessThanOrEqual(0.005);
    expect(above).toBeGreaterThan(0.002);
  });
});
