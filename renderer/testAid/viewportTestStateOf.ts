import { indexToPixel, type ViewPlane } from '../geometry/ViewPlane.js';
import type { ViewName } from '../geometry/types.js';
import type { SliceRenderer } from '../views/sliceRenderer.js';
import type { ViewportTestState } from './viewStateForTests.js';

/** What the tests read of a view's last draw, from the renderer's scene and its canvas map; null before its first scene. */
export function viewportTestStateOf(view: ViewName, renderer: SliceRenderer, rendered: number): Omit<ViewportTestState, 'voxelToCss'> | null {
  const scene = renderer.scene;
  if (!scene) return null;
  const { plane, standard, slab } = scene;
  return {
    view,
    rendered,
    slice: scene.slice,
    sliceAxis: scene.axes.sliceAxis,
    slices: scene.axes.slices,
    window: { center: scene.voi.center, width: scene.voi.width },
    canvas: { width: renderer.canvas.width, height: renderer.canvas.height },
    markers: plane.markers,
    timing: renderer.lastTiming,
    ...voxelMapsOf(renderer, plane),
    plane,
    standard,
    slab,
  };
}

/**
 * [x, y] = M · [i, j, k, 1]: CSS pixels of a voxel centre projected onto
 * the plane, composed from the plane's map and the renderer's pixel → CSS
 * transform (affine: cornerstone draws without rotation); and
 * offset = N · [i, j, k, 1], the voxel's distance from the plane in normal
 * steps (0 on it).
 */
function voxelMapsOf(renderer: SliceRenderer, plane: ViewPlane): { cssFromVoxel: [number[], number[]]; offsetFromVoxel: number[] } {
  const o = renderer.canvasPointOf(0, 0);
  const ex = renderer.canvasPointOf(0, 1);
  const ey = renderer.canvasPointOf(1, 0);
  const at0 = indexToPixel(plane, [0, 0, 0]);
  const units = (
    [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ] as const
  ).map((e) => indexToPixel(plane, e));
  const coefficient = (pick: (p: { row: number; column: number; offset: number }) => number): number[] => [...units.map((u) => pick(u) - pick(at0)), pick(at0)];
  const column = coefficient((p) => p.column);
  const row = coefficient((p) => p.row);
  const css = (axis: 'x' | 'y'): number[] =>
    [0, 1, 2, 3].map((n) => (ex[axis] - o[axis]) * column[n]! + (ey[axis] - o[axis]) * row[n]! + (n === 3 ? o[axis] : 0));
  return { cssFromVoxel: [css('x'), css('y')], offsetFromVoxel: coefficient((p) => p.offset) };
}
