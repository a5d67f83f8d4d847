import type { Measurement, MeasurementPlane } from '../../core/contract.js';
import type { Vec3 } from '../../core/geometry/types.js';
import type { MeasureToolKind } from '../views/ViewGeometry.js';
import { planePointOf, worldOnPlane } from './measurementPlane.js';
import { polygonAreaMm2 } from './measurementValues.js';

/** A point in a plane's (column, row) coordinates: the pixels of the view it was drawn in. */
export interface PlanePixel {
  readonly column: number;
  readonly row: number;
}

/** A measurement being drawn, in the coordinates of the plane it is drawn on. */
export interface Draft {
  readonly kind: MeasureToolKind;
  readonly view: string;
  readonly plane: MeasurementPlane;
  /** line: a, b; angle: a, vertex (, c); ellipse: two opposite corners; freehand: the path so far. */
  readonly pixels: readonly PlanePixel[];
  /** 'waiting': an angle's first arm is done; the next press sets its third point. */
  readonly stage: 'drawing' | 'waiting';
}

/** A finished shape, ready to be named and measured. */
export type DrawnShape = Pick<Measurement, 'kind' | 'view' | 'points' | 'plane'>;

/** One left-button pointer event of a measurement tool, in the view's plane. */
export interface MeasurePointer {
  readonly phase: 'down' | 'move' | 'up';
  readonly kind: MeasureToolKind;
  readonly view: string;
  /** The view's plane now. */
  readonly plane: MeasurementPlane;
  /** The pointer, in that plane's coordinates (continuous screen pixels). */
  readonly at: PlanePixel;
  /** Smallest step between freehand vertices, in pixels. */
  readonly minStep: number;
}

/** Shorter strokes than this (pixels) are clicks, not shapes. */
const minSize = 0.5;

/**
 * The drawing gestures, as a pure step: line, drag from a to b; angle, drag
 * the first arm (a to vertex), then press, drag and release at the third
 * point; ellipse, drag from corner to corner of its box (semi-axes along the
 * screen's columns and rows); freehand, drag the outline (closed on
 * release). Returns the draft after `pointer`, and the shape when it is done.
 */
export function measureGesture(draft: Draft | null, pointer: MeasurePointer): { draft: Draft | null; done: DrawnShape | null } {
  const unchanged = { draft, done: null };
  if (pointer.phase === 'down') {
    const at = draft && continuesAngle(draft, pointer) ? toDraftPlane(draft, pointer) : null;
    if (draft && at) return { draft: { ...draft, pixels: [...draft.pixels, at], stage: 'drawing' }, done: null };
    const start = pointer.at;
    const pixels = pointer.kind === 'freehand' ? [start] : [start, start];
    return { draft: { kind: pointer.kind, view: pointer.view, plane: pointer.plane, pixels, stage: 'drawing' }, done: null };
  }
  if (!draft || draft.stage === 'waiting') return unchanged;
  const at = toDraftPlane(draft, pointer) ?? draft.pixels[draft.pixels.length - 1]!;
  const moved = followPointer(draft, at, pointer.minStep);
  return pointer.phase === 'move' ? { draft: moved, done: null } : release(moved);
}

function continuesAngle(draft: Draft, pointer: MeasurePointer): boolean {
  return draft.kind === 'angle' && pointer.kind === 'angle' && draft.stage === 'waiting' && draft.view === pointer.view;
}

/** The pointer in the draft's plane coordinates; null when it is off that plane (another slice). */
function toDraftPlane(draft: Draft, pointer: MeasurePointer): PlanePixel | null {
  if (draft.plane === pointer.plane) return pointer.at;
  const p = planePointOf(draft.plane, worldOnPlane(pointer.plane, pointer.at.column, pointer.at.row));
  return Math.abs(p.offset) < 0.5 ? { column: p.column, row: p.row } : null;
}

function followPointer(draft: Draft, at: PlanePixel, minStep: number): Draft {
  const last = draft.pixels[draft.pixels.length - 1]!;
  if (draft.kind !== 'freehand') return { ...draft, pixels: [...draft.pixels.slice(0, -1), at] };
  return Math.hypot(at.column - last.column, at.row - last.row) >= minStep ? { ...draft, pixels: [...draft.pixels, at] } : draft;
}

function release(draft: Draft): { draft: Draft | null; done: DrawnShape | null } {
  const p = draft.pixels;
  const far = (a: PlanePixel, b: PlanePixel): boolean => Math.hypot(b.column - a.column, b.row - a.row) >= minSize;
  const world = (pixels: readonly PlanePixel[]): [number, number, number][] => pixels.map((q) => worldOnPlane(draft.plane, q.column, q.row));
  const shape = (points: [number, number, number][]): { draft: null; done: DrawnShape } => ({
    draft: null,
    done: { kind: draft.kind, view: draft.view, plane: draft.plane, points },
  });
  switch (draft.kind) {
    case 'line':
      return far(p[0]!, p[1]!) ? shape(world(p)) : { draft: null, done: null };
    case 'angle':
      if (p.length === 2) return far(p[0]!, p[1]!) ? { draft: { ...draft, stage: 'waiting' }, done: null } : { draft: null, done: null };
      return far(p[1]!, p[2]!) ? shape(world(p)) : { draft: { ...draft, pixels: p.slice(0, 2), stage: 'waiting' }, done: null };
    case 'ellipse': {
      const [a, b] = [p[0]!, p[1]!];
      const halfWidth = Math.abs(b.column - a.column) / 2;
      const halfHeight = Math.abs(b.row - a.row) / 2;
      if (halfWidth < minSize / 2 || halfHeight < minSize / 2) return { draft: null, done: null };
      const centre = { column: (a.column + b.column) / 2, row: (a.row + b.row) / 2 };
      return shape(world([centre, { column: centre.column + halfWidth, row: centre.row }, { column: centre.column, row: centre.row + halfHeight }]));
    }
    case 'freehand': {
      const points = world(p).slice(0, 10000);
      return points.length >= 3 && polygonAreaMm2(points as Vec3[], draft.plane) > 0 ? shape(points) : { draft: null, done: null };
    }
  }
}
