/** A slice's connected regions: each pixel's region number (0 outside, 1…count inside). */
export interface ContourRegions {
  readonly labels: Int32Array;
  readonly count: number;
}

/**
 * Numbers the 8-connected regions of a 2D mask (row-major, u fastest), in
 * scan order, as drawn contours are seen on a slice.
 * @param mask non-zero inside, `width × height`
 */
export function contourRegions(mask: Uint8Array, width: number, height: number): ContourRegions {
  const labels = new Int32Array(width * height);
  const stack = new Int32Array(width * height);
  let count = 0;
  for (let start = 0; start < labels.length; start++) {
    if (mask[start] === 0 || labels[start] !== 0) continue;
    labels[start] = ++count;
    let top = 0;
    stack[top++] = start;
    while (top > 0) {
      const p = stack[--top]!;
      const u = p % width;
      const v = (p - u) / width;
      for (let dv = -1; dv <= 1; dv++) {
        const y = v + dv;
        if (y < 0 || y >= height) continue;
        for (let du = -1; du <= 1; du++) {
          const x = u + du;
          if (x < 0 || x >= width) continue;
          const q = x + y * width;
          if (mask[q] === 0 || labels[q] !== 0) continue;
          labels[q] = count;
          stack[top++] = q;
        }
      }
    }
  }
  return { labels, count };
}
