import { dcmjsApi } from './dcmjsApi.js';

type Triple = readonly [number, number, number];

/**
 * DICOM's CIELab colours (RecommendedDisplayCIELabValue) and sRGB, through
 * dcmjs's conversion: CIELab relative to D50 like the ICC Profile
 * Connection Space (PS3.3 C.10.7.1.1), L* scaled 0–100 → 0–65535 and a*, b*
 * −128–127 offset and scaled to 0–65535; sRGB white (D65) is chromatically adapted.
 */

/** sRGB (0–255 per channel) → DICOM-scaled CIELab (three integers 0–65535), as written in RecommendedDisplayCIELabValue. */
export function rgbToDicomLab(rgb: Triple): [number, number, number] {
  const lab = dcmjsApi().data.Colors.rgb2DICOMLAB(rgb.map((c) => clamp(c / 255, 0, 1)));
  return [toUint16(lab[0]), toUint16(lab[1]), toUint16(lab[2])];
}

/** DICOM-scaled CIELab (0–65535 each) → sRGB (0–255 per channel, rounded); colours outside the sRGB gamut are clipped per channel. */
export function dicomLabToRgb(lab: Triple): [number, number, number] {
  const rgb = dcmjsApi().data.Colors.dicomlab2RGB([...lab]);
  return [toByte(rgb[0]), toByte(rgb[1]), toByte(rgb[2])];
}

function clamp(v: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, v));
}

function toUint16(v: number): number {
  return Math.round(clamp(v, 0, 65535));
}

function toByte(v: number): number {
  return Math.round(255 * clamp(v, 0, 1));
}
