import { crosshairLines } from '../geometry/crosshairLines.js';
import { indexToPixel } from '../geometry/ViewPlane.js';
import { viewNames } from '../geometry/types.js';
import { type Vec3 } from '../../core/geometry/types.js';
import type { SliceRenderer } from './sliceRenderer.js';
import type { ViewportPosition, ViewportProps } from './ViewportProps.js';

/** The crosshair point a view draws: the continuous point when planes are turned, else the cursor voxel. */
function crosshairOf(position: ViewportPosition): Vec3 {
  return position.mpr.rotated ? position.mpr.point : position.cursor;
}

/**
 * Draws the other two planes' lines through the crosshair: vertical and
 * horizontal on standard planes, turned with the planes otherwise. Lines run
 * well past the canvas; the SVG clips them.
 */
export function drawCrosshair(renderer: SliceRenderer, props: ViewportProps, a: SVGLineElement | null, b: SVGLineElement | null): void {
  if (!a || !b || !renderer.scene) return;
  const { view, position } = props;
  const { mpr } = position;
  const others = viewNames.filter((v) => v !== view);
  const lines = crosshairLines(
    mpr.plane,
    others.map((v) => mpr.planes[v]),
    crosshairOf(position),
  );
  const centre = renderer.canvasPointOf(lines.centre.row, lines.centre.column);
  const { width, height } = renderer.canvas;
  const reach = 2 * (width + height);
  [a, b].forEach((line, n) => {
    const direction = lines.directions[n];
    line.dataset['plane'] = others[n]!;
    if (!direction) return void setLine(line, 0, 0, 0, 0);
    const ahead = renderer.canvasPointOf(lines.centre.row + direction.row, lines.centre.column + direction.column);
    const dx = ahead.x - centre.x;
    const dy = ahead.y - centre.y;
    const length = Math.hypot(dx, dy) || 1;
    const ux = (dx / length) * reach;
    const uy = (dy / length) * reach;
    setLine(line, centre.x - ux, centre.y - uy, centre.x + ux, centre.y + uy);
  });
}

/**
 * The angle (radians, clockwise on screen) the pointer turned about the
 * crosshair centre between two CSS points; 0 within a few pixels of the centre,
 * where the angle is unsteady.
 */
export function turnAngle(renderer: SliceRenderer, props: ViewportProps, x0: number, y0: number, x1: number, y1: number): number {
  const at = indexToPixel(props.position.mpr.plane, crosshairOf(props.position));
  const c = renderer.canvasPointOf(at.row, at.column);
  if (Math.hypot(x0 - c.x, y0 - c.y) < 4 || Math.hypot(x1 - c.x, y1 - c.y) < 4) return 0;
  let angle = Math.atan2(y1 - c.y, x1 - c.x) - Math.atan2(y0 - c.y, x0 - c.x);
  if (angle > Math.PI) angle -= 2 * Math.PI;
  if (angle <= -Math.PI) angle += 2 * Math.PI;
  return angle;
}

/**
 * Moves the view's plane by `step` slices towards superior / anterior / the
 * patient's left (negative: back): the cursor's slice on unturned planes;
 * on turned ones the crosshair point, one slice along this view's axis
 * (standard plane) or one normal step (turned plane), stopping at the
 * volume's edge.
 */
export function moveSlice(props: ViewportProps, step: number): void {
  const { axes, cursor, mpr } = props.position;
  const axis = axes.sliceAxis;
  const clampSlice = (v: number): number => Math.min(axes.slices - 1, Math.max(0, v));
  if (!mpr.rotated || mpr.standard) {
    const base = mpr.rotated ? mpr.point : cursor;
    const next = [base[0], base[1], base[2]];
    next[axis] = clampSlice(cursor[axis] + step * axes.sliceForward);
    if (next[axis] === cursor[axis]) return;
    const index: Vec3 = [next[0]!, next[1]!, next[2]!];
    return mpr.rotated ? mpr.onPoint(index) : props.callbacks.onCursor(index);
  }
  const dims = props.picture.volume.header.dimensions;
  const n = mpr.plane.normalStep;
  let lo = -Infinity;
  let hi = Infinity;
  for (let a = 0; a < 3; a++) {
    if (Math.abs(n[a]!) < 1e-12) continue;
    const s0 = (0 - mpr.point[a]!) / n[a]!;
    const s1 = (dims[a]! - 1 - mpr.point[a]!) / n[a]!;
    lo = Math.max(lo, Math.min(s0, s1));
    hi = Math.min(hi, Math.max(s0, s1));
  }
  const s = Math.min(hi, Math.max(lo, step));
  if (!(Math.abs(s) > 1e-9)) return;
  mpr.onPoint([mpr.point[0] + s * n[0], mpr.point[1] + s * n[1], mpr.point[2] + s * n[2]]);
}

/** The brush's outline at the pointer, at its true size in this view (hidden unless painting or erasing). */
export function showBrush(circle: SVGCircleElement | null, renderer: SliceRenderer | null, props: ViewportProps, x: number, y: number): void {
  if (!circle) return;
  const { tool } = props.controls;
  const { mpr } = props.position;
  const painting = tool.kind === 'brush' || tool.kind === 'eraser';
  if (!painting || !mpr.standard || !renderer?.scene) return void circle.setAttribute('r', '0');
  const a = renderer.canvasPointOf(0, 0);
  const b = renderer.canvasPointOf(0, 1);
  const cssPerMm = Math.hypot(b.x - a.x, b.y - a.y) / mpr.plane.columnSpacing;
  circle.setAttribute('cx', String(x));
  circle.setAttribute('cy', String(y));
  circle.setAttribute('r', String(tool.radiusMm * cssPerMm));
}

function setLine(line: SVGLineElement, x1: number, y1: number, x2: number, y2: number): void {
  line.setAttribute('x1', String(x1));
  line.setAttribute('y1', String(y1));
  line.setAttribute('x2', String(x2));
  line.setAttribute('y2', String(y2));
}
