import type { View3dImage } from '../pages/View3dPage.js';

/** The 3D view's background (renderer/volume3d/VolumeRenderer3d.ts: 0.06, 0.07, 0.09), 0–255. */
export const background3d = [15, 18, 23] as const;

/** Whether pixel n is the background (within 1 of it in each channel). */
export function isBackground(image: View3dImage, n: number): boolean {
  const p = n * 4;
  return background3d.every((v, c) => Math.abs(image.rgba[p + c]! - v) <= 1);
}

/** Per pixel, 1 where `test(n)` holds. */
export function maskOf(count: number, test: (n: number) => boolean): Uint8Array {
  return Uint8Array.from({ length: count }, (_, n) => (test(n) ? 1 : 0));
}

/** Intersection over union of two masks. */
export function iou(a: Uint8Array, b: Uint8Array): number {
  let both = 0;
  let either = 0;
  for (let n = 0; n < a.length; n++) {
    if (a[n] && b[n]) both++;
    if (a[n] || b[n]) either++;
  }
  return either ? both / either : 1;
}

export const countOf = (mask: Uint8Array): number => mask.reduce((sum, v) => sum + v, 0);

/**
 * Where a mask is densest: the centre (column, row) of the
 * (2·radius + 1)² window holding most of its pixels (the first on ties).
 */
export function densestWindow(mask: Uint8Array, width: number, height: number, radius: number): [number, number] {
  // Summed-area table, then every window's count in O(1).
  const sat = new Float64Array((width + 1) * (height + 1));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      sat[(y + 1) * (width + 1) + x + 1] = mask[y * width + x]! + sat[y * (width + 1) + x + 1]! + sat[(y + 1) * (width + 1) + x]! - sat[y * (width + 1) + x]!;
    }
  }
  const at = (x: number, y: number): number => sat[Math.min(height, Math.max(0, y)) * (width + 1) + Math.min(width, Math.max(0, x))]!;
  let best: [number, number] = [0, 0];
  let bestCount = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const count = at(x + radius + 1, y + radius + 1) - at(x - radius, y + radius + 1) - at(x + radius + 1, y - radius) + at(x - radius, y - radius);
      if (count > bestCount) {
        bestCount = count;
        best = [x, y];
      }
    }
  }
  return best;
}

/** Largest per-channel difference (RGB) between two images at pixel n. */
export function channelDifference(a: View3dImage, b: View3dImage, n: number): number {
  const p = n * 4;
  return Math.max(Math.abs(a.rgba[p]! - b.rgba[p]!), Math.abs(a.rgba[p + 1]! - b.rgba[p + 1]!), Math.abs(a.rgba[p + 2]! - b.rgba[p + 2]!));
}

/** The PNG's width and height from its IHDR chunk. @throws Error when the bytes are not a PNG. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const signature = [137, 80, 78, 71, 13, 10, 26, 10];
  if (!signature.every((v, n) => bytes[n] === v)) throw new Error('not a PNG (no signature)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') throw new Error('not a PNG (no IHDR first)');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
