import { describe, expect, it } from 'vitest';
import type { Measurement, MeasurementPlane } from '../../../../core/contract.js';
import { planeAxes } from '../../../../renderer/geometry/planeAxes.js';
import type { VolumeGeometry } from '../../../../core/geometry/types.js';
import { viewPlaneOf } from '../../../../renderer/geometry/ViewPlane.js';
import { measureGesture, type Draft, type MeasurePointer } from '../../../../renderer/measurements/measureGesture.js';
import { measurementPlaneOf, planePointOf, worldOnPlane } from '../../../../renderer/measurements/measurementPlane.js';
import { initialMeasurementState, measurementReducer, nextMeasurementName } from '../../../../renderer/measurements/measurementState.js';
import { projectToView } from '../../../../renderer/measurements/projectToView.js';

/** An anisotropic grid whose index axes are rotated 30° about the world z axis. */
const c = Math.cos(Math.PI / 6);
const s = Math.sin(Math.PI / 6);
const grid: VolumeGeometry = {
  dimensions: [64, 48, 20],
  spacing: [0.5, 0.75, 2.5],
  origin: [-10, 5, 40],
  direction: [
    [c, s, 0],
    [-s, c, 0],
    [0, 0, 1],
  ],
};
const axial = planeAxes(grid, 'axial');
const planeAt = (slice: number): MeasurementPlane => measurementPlaneOf(grid, viewPlaneOf(axial, slice));

function run(kind: MeasurePointer['kind'], plane: MeasurementPlane, events: readonly [MeasurePointer['phase'], number, number][], start: Draft | null = null) {
  let draft = start;
  let done = null;
  for (const [phase, column, row] of events) ({ draft, done } = measureGesture(draft, { phase, kind, view: 'axial', plane, at: { column, row }, minStep: 1 }));
  return { draft, done };
}

describe('measurementPlaneOf', () => {
  it('puts pixel (0, 0) of the view at its world position and steps one pixel / one slice in mm', () => {
    const plane = planeAt(7);
    expect(Math.hypot(...plane.column)).toBeCloseTo(axial.columnSpacing, 12);
    expect(Math.hypot(...plane.row)).toBeCloseTo(axial.rowSpacing, 12);
    expect(Math.hypot(...plane.normal)).toBeCloseTo(2.5, 12);
    expect(plane.origin[2]).toBeCloseTo(40 + 7 * 2.5, 12);
    const back = planePointOf(plane, worldOnPlane(plane, 12.25, 30.5));
    expect([back.column, back.row, back.offset].map((v) => Math.round(v * 1e9) / 1e9 + 0)).toEqual([12.25, 30.5, 0]);
  });
});

describe('measureGesture', () => {
  const plane = planeAt(3);

  it('draws a line from press to release; a click draws nothing', () => {
    const { done } = run('line', plane, [
      ['down', 10, 10],
      ['move', 20, 15],
      ['up', 30, 40],
    ]);
    expect(done?.points).toEqual([worldOnPlane(plane, 10, 10), worldOnPlane(plane, 30, 40)]);
    expect(
      run('line', plane, [
        ['down', 10, 10],
        ['up', 10.2, 10.1],
      ]),
    ).toEqual({ draft: null, done: null });
  });

  it('draws an angle: the first arm by dragging, then a press, drag and release for the third point', () => {
    const first = run('angle', plane, [
      ['down', 0, 0],
      ['move', 5, 5],
      ['up', 10, 10],
    ]);
    expect(first.done).toBeNull();
    expect(first.draft).toMatchObject({
      stage: 'waiting',
      pixels: [
        { column: 0, row: 0 },
        { column: 10, row: 10 },
      ],
    });
    expect(run('angle', plane, [['move', 50, 50]], first.draft).draft).toBe(first.draft);
    const { done } = run(
      'angle',
      plane,
      [
        ['down', 20, 0],
        ['move', 21, 3],
        ['up', 20, 5],
      ],
      first.draft,
    );
    expect(done?.points).toEqual([worldOnPlane(plane, 0, 0), worldOnPlane(plane, 10, 10), worldOnPlane(plane, 20, 5)]);
  });

  it('draws an ellipse from its box: centre and semi-axis ends along the columns and rows', () => {
    const { done } = run('ellipse', plane, [
      ['down', 40, 10],
      ['move', 30, 30],
      ['up', 20, 30],
    ]);
    expect(done?.points).toEqual([worldOnPlane(plane, 30, 20), worldOnPlane(plane, 40, 20), worldOnPlane(plane, 30, 30)]);
  });

  it('draws a freehand outline keeping vertices at least minStep apart, and drops one with no area', () => {
    const { done } = run('freehand', plane, [
      ['down', 0, 0],
      ['move', 0.5, 0],
      ['move', 10, 0],
      ['move', 10, 10],
      ['up', 0, 10],
    ]);
    expect(done?.points.length).toBe(4);
    expect(
      run('freehand', plane, [
        ['down', 0, 0],
        ['move', 5, 5],
        ['up', 10, 10],
      ]).done,
    ).toBeNull();
  });

  it('carries on a draft from another slice of the same view only within half a slice', () => {
    const first = run('angle', plane, [
      ['down', 0, 0],
      ['up', 10, 10],
    ]).draft!;
    const elsewhere = measureGesture(first, { phase: 'down', kind: 'angle', view: 'coronal', plane: planeAt(9), at: { column: 5, row: 5 }, minStep: 1 });
    expect(elsewhere.draft).toMatchObject({
      view: 'coronal',
      stage: 'drawing',
      pixels: [
        { column: 5, row: 5 },
        { column: 5, row: 5 },
      ],
    });
  });
});

describe('projectToView: a measurement shows only on the plane it lies in', () => {
  const line: Pick<Measurement, 'kind' | 'points'> = { kind: 'line', points: [worldOnPlane(planeAt(5), 3, 4), worldOnPlane(planeAt(5), 30, 40)] };

  it('is on its own slice, at the pixels it was drawn at, and not on the neighbours', () => {
    const own = projectToView(line, grid, viewPlaneOf(axial, 5));
    expect(own.visible).toBe(true);
    expect(own.pixels.map((p) => [p.column, p.row].map((v) => Math.round(v * 1e9) / 1e9))).toEqual([
      [3, 4],
      [30, 40],
    ]);
    expect(projectToView(line, grid, viewPlaneOf(axial, 4)).visible).toBe(false);
    expect(projectToView(line, grid, viewPlaneOf(axial, 6)).visible).toBe(false);
  });

  it('tests an ellipse on its whole outline, not only its three points', () => {
    // Slice 10 lies at z = 65 mm; both semi-axis ends rise 0.4 slices (1 mm), so the outline's top reaches hypot(0.4, 0.4) = 0.57 slices.
    const ellipse = {
      kind: 'ellipse' as const,
      points: [
        [0, 10, 65],
        [10, 10, 66],
        [0, 20, 66],
      ] as [number, number, number][],
    };
    const flat = viewPlaneOf(axial, 10);
    expect(projectToView({ kind: 'freehand', points: ellipse.points }, grid, flat).visible).toBe(true);
    expect(projectToView(ellipse, grid, flat).visible).toBe(false);
    const lower = {
      kind: 'ellipse' as const,
      points: [
        [0, 10, 65],
        [10, 10, 65.8],
        [0, 20, 65.8],
      ] as [number, number, number][],
    };
    expect(projectToView(lower, grid, flat).visible).toBe(true);
  });
});

describe('measurementReducer', () => {
  const m = (id: string, name: string): Measurement => ({
    id,
    name,
    kind: 'line',
    view: 'axial',
    points: [
      [0, 0, 0],
      [1, 0, 0],
    ],
    plane: planeAt(0),
    values: { lengthMm: 1 },
  });

  it('adds (selecting the new one), renames (trimmed, at most 64 characters, never empty) and deletes, moving the revision on each change', () => {
    let state = measurementReducer(initialMeasurementState, { type: 'reset', volumeId: 'v', items: [m('a', 'Line 1')] });
    const start = state.revision;
    state = measurementReducer(state, { type: 'add', measurement: m('b', 'Line 2') });
    expect([state.selected, state.revision]).toEqual(['b', start + 1]);
    state = measurementReducer(state, { type: 'rename', id: 'b', name: `  ${'x'.repeat(80)}  ` });
    expect(state.items[1]!.name).toBe('x'.repeat(64));
    expect(measurementReducer(state, { type: 'rename', id: 'b', name: '   ' })).toBe(state);
    state = measurementReducer(state, { type: 'delete', id: 'b' });
    expect([state.items.map((i) => i.id), state.selected, state.revision]).toEqual([['a'], null, start + 3]);
  });

  it('names a new measurement after the highest number its kind already uses', () => {
    expect(nextMeasurementName([m('a', 'Line 1'), m('b', 'Line 7'), m('c', 'Aorta')], 'line')).toBe('Line 8');
    expect(nextMeasurementName([m('a', 'Line 1')], 'ellipse')).toBe('Ellipse 1');
  });
});
