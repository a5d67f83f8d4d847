import type { ViewportSnapshot } from './pageShapes.js';

/** The two index axes a view shows, in index order. */
export function inPlaneAxes(viewport: Pick<ViewportSnapshot, 'sliceAxis'>): [number, number] {
  const axes = [0, 1, 2].filter((a) => a !== viewport.sliceAxis);
  return [axes[0]!, axes[1]!];
}

/** The continuous voxel index under a CSS point of the view: cssFromVoxel's in-plane part, inverted. */
export function voxelUnderCss(viewport: ViewportSnapshot, cssX: number, cssY: number): [number, number, number] {
  const [a, b] = inPlaneAxes(viewport);
  const [mx, my] = viewport.cssFromVoxel;
  const s = viewport.sliceAxis;
  const fx = cssX - mx[3]! - mx[s]! * viewport.slice;
  const fy = cssY - my[3]! - my[s]! * viewport.slice;
  const det = mx[a]! * my[b]! - mx[b]! * my[a]!;
  const index: [number, number, number] = [0, 0, 0];
  index[a] = (my[b]! * fx - mx[b]! * fy) / det;
  index[b] = (-my[a]! * fx + mx[a]! * fy) / det;
  index[s] = viewport.slice;
  return index;
}
