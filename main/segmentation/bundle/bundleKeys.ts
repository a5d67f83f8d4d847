import type { BundleValue } from './BundleValue.js';

/** A MONAI dictionary transform's `keys` (one key or a list of them) as a list; null when they are anything else. */
export function bundleKeys(value: BundleValue | undefined): string[] | null {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : null;
}
