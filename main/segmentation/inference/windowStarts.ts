/**
 * Start indices of MONAI's sliding windows along one axis
 * (monai.inferers.utils `_get_scan_interval` and `dense_patch_slices`):
 * interval `int(roi × (1 − overlap))` (at least 1; the roi itself when the axis
 * is exactly one window long), `ceil((size − roi)/interval) + 1` windows, the
 * last aligned to the end. `size` is the padded size (≥ roi).
 */
export function windowStarts(size: number, roi: number, overlap: number): number[] {
  if (size <= roi) return [0];
  const interval = Math.max(1, Math.trunc(roi * (1 - overlap)));
  const count = Math.ceil((size - roi) / interval) + 1;
  const starts: number[] = [];
  for (let d = 0; d < count; d++) starts.push(Math.min(d * interval, size - roi));
  return starts;
}
