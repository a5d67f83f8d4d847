import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Volume } from '../../../../main/volume/Volume.js';
import { obliquePlanes } from '../../../../renderer/geometry/obliquePlanes.js';
import { planeAxes } from '../../../../renderer/geometry/planeAxes.js';
import { identityRotation, rotateAbout } from '../../../../renderer/geometry/rotateAbout.js';
import { indexToPixel, pixelToIndex, viewPlaneOf, type ViewPlane } from '../../../../renderer/geometry/ViewPlane.js';
import type { Vec3, VolumeGeometry } from '../../../../core/geometry/types.js';
import { reslicePlane, slabSampleCount, slabSampleOffsets, type SlabMode } from '../../../../renderer/reslice/reslicePlane.js';
import { ctSeriesPath, labelsOnGrid, loadFirstVolume, totalsegLabelsPath } from '../../../e2e/support/referenceData.js';
import { runPythonJson } from '../../../python.js';
import { hasSharedData, noSharedDataReason } from '../../../sharedData.js';

/**
 * numpy's max/min/mean along one index axis over [from, to] (an axis-aligned
 * slab), or scipy's map_coordinates at every pixel of a plane (order 1 for
 * the image, 0 for labels; mode 'nearest' so edge pixels have a value, the
 * spec compares inside pixels only), each sample offset along the normal,
 * reduced by max/min/mean. Reads and writes little-endian float64 files.
 */
const numpyScript = `
import json, sys
import numpy as np
from scipy.ndimage import map_coordinates
volume_path, shape, job, out_path = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3]), sys.argv[4]
v = np.fromfile(volume_path, '<f8').reshape(shape[2], shape[1], shape[0])
reduce = {'mip': np.max, 'minip': np.min, 'mean': np.mean}[job['mode']]
if job['kind'] == 'axis':
    numpy_axis = 2 - job['axis']
    index = [slice(None)] * 3
    index[numpy_axis] = slice(job['from'], job['to'] + 1)
    out = reduce(v[tuple(index)], axis=numpy_axis)
else:
    rows, cols = job['rows'], job['columns']
    r, c = np.meshgrid(np.arange(rows), np.arange(cols), indexing='ij')
    sheets = []
    for s in job['offsets']:
        coords = [job['origin'][a] + s * job['normal'][a] + c * job['column'][a] + r * job['row'][a] for a in range(3)]
        sheets.append(map_coordinates(v, [coords[2], coords[1], coords[0]], order=job['order'], mode='nearest'))
    out = reduce(np.stack(sheets), axis=0)
np.asarray(out, '<f8').tofile(out_path)
print(json.dumps({'shape': list(out.shape)}))
`;

/** Runs the numpy script on a float64 volume file of `dimensions` (i fastest), writing into `scratch`; returns its output array. */
function runNumpy(scratch: string, path: string, dimensions: Vec3, job: Record<string, unknown>): Float64Array {
  const out = join(scratch, 'out.f64');
  runPythonJson(numpyScript, [path, JSON.stringify(dimensions), JSON.stringify(job), out]);
  const bytes = readFileSync(out);
  return new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
}

/** scipy's job for a plane: map_coordinates at every pixel, at each slab offset, reduced by `mode`. */
function planeJob(plane: ViewPlane, offsets: number[], order: number, mode: SlabMode) {
  return {
    kind: 'plane',
    rows: plane.rows,
    columns: plane.columns,
    origin: plane.origin,
    column: plane.columnStep,
    row: plane.rowStep,
    normal: plane.normalStep,
    offsets,
    order,
    mode,
  };
}

/** Whether pixel (row, column)'s sample lies within [lo, n − 1 − lo] on every axis (lo 0: among voxel centres; −0.5: out to the outer faces). */
function sampleWithin(plane: ViewPlane, dimensions: Vec3, row: number, column: number, lo: number): boolean {
  const p = pixelToIndex(plane, row, column);
  return [0, 1, 2].every((a) => p[a]! >= lo && p[a]! < dimensions[a]! - 1 - lo);
}

describe.skipIf(!hasSharedData)(`reslicePlane on the CT series against numpy and scipy (${noSharedDataReason})`, () => {
  let ct: Volume;
  let labels: Uint16Array;
  let range: number;
  const scratch = mkdtempSync(join(tmpdir(), 'axial-reslice-'));
  const volumePath = join(scratch, 'ct.f64');
  const labelPath = join(scratch, 'labels.f64');

  /** Runs the numpy script on a volume file of the CT's dimensions; returns its output array. */
  const numpy = (path: string, job: Record<string, unknown>): Float64Array => runNumpy(scratch, path, ct.dimensions, job);
  /** Whether every sample of a pixel lies within [0, n − 1] on every axis. */
  const inside = (plane: ViewPlane, row: number, column: number, offsets: number[]): boolean =>
    offsets.every((s) => {
      const p = pixelToIndex(plane, row, column);
      return [0, 1, 2].every((a) => {
        const x = p[a]! + s * plane.normalStep[a]!;
        return x >= 0 && x <= ct.dimensions[a]! - 1;
      });
    });

  beforeAll(async () => {
    ct = await loadFirstVolume(ctSeriesPath);
    labels = await labelsOnGrid(totalsegLabelsPath, ct);
    writeFileSync(volumePath, new Float64Array(ct.voxels as Int16Array));
    writeFileSync(labelPath, new Float64Array(labels));
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of ct.voxels as Int16Array) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    range = hi - lo;
  }, 120_000);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('a 20 mm axial slab (11 slices of 2 mm, k = 4…14, centred on slice 9) equals numpy max, min and mean over those slices', () => {
    const plane = viewPlaneOf(planeAxes(ct, 'axial'), 9);
    const samples = slabSampleCount(20, plane.normalSpacing);
    expect(samples).toBe(11);
    expect(slabSampleOffsets(samples)).toEqual({ first: -5, last: 5 });
    const out = new Float32Array(plane.rows * plane.columns);
    const counts = new Uint16Array(out.length);
    for (const mode of ['mip', 'minip', 'mean'] as const) {
      reslicePlane({ voxels: ct.voxels, dimensions: ct.dimensions }, plane, { interpolation: 'linear', samples, mode, background: -1024 }, out, counts);
      const expected = numpy(volumePath, { kind: 'axis', axis: 2, from: 4, to: 14, mode });
      let worst = 0;
      // The axial view of an LPS CT shows (i, j) in stored order: pixel n is numpy's [j, i].
      for (let n = 0; n < out.length; n++) worst = Math.max(worst, Math.abs(out[n]! - expected[n]!));
      expect(worst, mode).toBeLessThan(mode === 'mean' ? 1e-3 : 1e-9);
      if (mode === 'mean') expect(counts.every((c) => c === 11)).toBe(true);
    }
  });

  it('a coronal slab near the top clips at the volume: mean of the slices inside, as numpy over the clipped range', () => {
    // Coronal at j = 3, 10 mm of 0.977 mm rows → 11 samples at j = 3 + 5 … 3 − 5 (forward is anterior, −j): j = −2…8, of which 0…8 lie inside.
    const axes = planeAxes(ct, 'coronal');
    const plane = viewPlaneOf(axes, 3);
    const samples = slabSampleCount(10, plane.normalSpacing);
    expect(samples).toBe(11);
    const out = new Float64Array(plane.rows * plane.columns);
    const counts = new Uint16Array(out.length);
    reslicePlane({ voxels: ct.voxels, dimensions: ct.dimensions }, plane, { interpolation: 'linear', samples, mode: 'mean', background: -1024 }, out, counts);
    const expected = numpy(volumePath, { kind: 'axis', axis: 1, from: 0, to: 8, mode: 'mean' });
    let worst = 0;
    for (let row = 0; row < plane.rows; row++) {
      for (let column = 0; column < plane.columns; column++) {
        const [i, , k] = pixelToIndex(plane, row, column);
        worst = Math.max(worst, Math.abs(out[row * plane.columns + column]! - expected[k * ct.dimensions[0] + i]!));
      }
    }
    expect(worst).toBeLessThan(1e-9);
    expect(counts[0]).toBe(9);
  });

  it('a 4 mm slab of 2 mm slices takes 3 slices centred on the plane (k = 8…10 at slice 9), as numpy’s mean over them, not k = 9…10', () => {
    const plane = viewPlaneOf(planeAxes(ct, 'axial'), 9);
    const samples = slabSampleCount(4, plane.normalSpacing);
    expect(samples).toBe(3);
    const out = new Float64Array(plane.rows * plane.columns);
    const counts = new Uint16Array(out.length);
    reslicePlane({ voxels: ct.voxels, dimensions: ct.dimensions }, plane, { interpolation: 'linear', samples, mode: 'mean', background: -1024 }, out, counts);
    const centred = numpy(volumePath, { kind: 'axis', axis: 2, from: 8, to: 10, mode: 'mean' });
    const ahead = numpy(volumePath, { kind: 'axis', axis: 2, from: 9, to: 10, mode: 'mean' });
    let worst = 0;
    let offAhead = 0;
    for (let n = 0; n < out.length; n++) {
      worst = Math.max(worst, Math.abs(out[n]! - centred[n]!));
      if (Math.abs(out[n]! - ahead[n]!) > 1) offAhead++;
    }
    expect(worst).toBeLessThan(1e-9);
    expect(offAhead).toBeGreaterThan(10_000);
  });

  it('a coronal plane turned 25° shows the CT’s full 40 mm, out to the half-voxel rim as scipy map_coordinates (order 1, mode nearest), as labels do', () => {
    const axes = { axial: planeAxes(ct, 'axial'), coronal: planeAxes(ct, 'coronal'), sagittal: planeAxes(ct, 'sagittal') };
    const point: Vec3 = [300.2, 250.9, 10.1];
    const rotation = rotateAbout(identityRotation, [0, 0, 1], (25 * Math.PI) / 180);
    const { plane } = obliquePlanes({ geometry: ct, axes, rotation, point, cursor: [300, 251, 10] }).coronal;
    const out = new Float32Array(plane.rows * plane.columns);
    reslicePlane({ voxels: ct.voxels, dimensions: ct.dimensions }, plane, { interpolation: 'linear', background: -3000 }, out);
    const ones = new Uint16Array(ct.voxels.length).fill(1);
    const reach = new Uint16Array(out.length);
    reslicePlane({ voxels: ones, dimensions: ct.dimensions }, plane, { interpolation: 'nearest', background: 0 }, reach);
    const expected = numpy(volumePath, planeJob(plane, [0], 1, 'mip'));
    let rim = 0;
    let worst = 0;
    let uncovered = 0;
    for (let row = 0; row < plane.rows; row++) {
      for (let column = 0; column < plane.columns; column++) {
        const n = row * plane.columns + column;
        // A label drawn where the image shows background, or the reverse.
        if ((reach[n] === 1) !== (out[n] !== -3000)) uncovered++;
        if (!sampleWithin(plane, ct.dimensions, row, column, -0.5)) continue;
        if (!sampleWithin(plane, ct.dimensions, row, column, 0)) rim++;
        worst = Math.max(worst, Math.abs(out[n]! - expected[n]!));
      }
    }
    console.log(`turned 25°: ${rim} rim pixels, worst ${worst.toExponential(2)} HU off scipy; ${uncovered} pixels where labels and image disagree`);
    expect(rim).toBeGreaterThan(1000);
    expect(worst).toBeLessThan(0.01);
    expect(uncovered).toBe(0);
    // Down the crosshair's column: 41 rows of 0.977 mm lit, 40.04 mm, as the standard coronal's 20 slices of 2 mm (38 mm of slice centres).
    const column = Math.round(indexToPixel(plane, point).column);
    let lit = 0;
    for (let row = 0; row < plane.rows; row++) if (out[row * plane.columns + column] !== -3000) lit++;
    console.log(`turned 25°: ${lit} rows lit down the crosshair's column, ${(lit * plane.rowSpacing).toFixed(2)} mm`);
    expect(lit * plane.rowSpacing).toBeCloseTo(41 * 0.9765625, 9);
  });

  it('a coronal plane turned 30° about the axial normal equals scipy map_coordinates (order 1) within 0.5 % of the value range', () => {
    const axes = { axial: planeAxes(ct, 'axial'), coronal: planeAxes(ct, 'coronal'), sagittal: planeAxes(ct, 'sagittal') };
    const point: Vec3 = [250.4, 230.7, 9.3];
    const rotation = rotateAbout(identityRotation, [0, 0, 1], (30 * Math.PI) / 180);
    const { plane } = obliquePlanes({ geometry: ct, axes, rotation, point, cursor: [250, 231, 9] }).coronal;
    const out = new Float32Array(plane.rows * plane.columns);
    reslicePlane({ voxels: ct.voxels, dimensions: ct.dimensions }, plane, { interpolation: 'linear', background: -3000 }, out);
    const expected = numpy(volumePath, planeJob(plane, [0], 1, 'mip'));
    let compared = 0;
    let outside = 0;
    let worst = 0;
    for (let row = 0; row < plane.rows; row++) {
      for (let column = 0; column < plane.columns; column++) {
        const n = row * plane.columns + column;
        if (!inside(plane, row, column, [0])) {
          if (out[n] === -3000) outside++;
          continue;
        }
        compared++;
        worst = Math.max(worst, Math.abs(out[n]! - expected[n]!));
      }
    }
    expect(compared).toBeGreaterThan(10_000);
    expect(worst).toBeLessThanOrEqual(0.005 * range);
    // In fact float rounding only.
    expect(worst).toBeLessThan(0.01);
    expect(outside).toBeGreaterThan(1000);
  });

  it('an oblique 5 mm MIP and MinIP equal numpy max and min of scipy samples at normal-step offsets', () => {
    const axes = { axial: planeAxes(ct, 'axial'), coronal: planeAxes(ct, 'coronal'), sagittal: planeAxes(ct, 'sagittal') };
    const point: Vec3 = [256, 256, 9.5];
    const rotation = rotateAbout(identityRotation, [0, 0, 1], (-40 * Math.PI) / 180);
    const { plane } = obliquePlanes({ geometry: ct, axes, rotation, point, cursor: [256, 256, 10] }).sagittal;
    const samples = slabSampleCount(5, plane.normalSpacing);
    expect(samples).toBe(5);
    const offsets = [-2, -1, 0, 1, 2];
    const out = new Float32Array(plane.rows * plane.columns);
    const counts = new Uint16Array(out.length);
    for (const mode of ['mip', 'minip'] as const) {
      reslicePlane({ voxels: ct.voxels, dimensions: ct.dimensions }, plane, { interpolation: 'linear', samples, mode, background: -3000 }, out, counts);
      const expected = numpy(volumePath, planeJob(plane, offsets, 1, mode));
      let compared = 0;
      let worst = 0;
      for (let row = 0; row < plane.rows; row += 2) {
        for (let column = 0; column < plane.columns; column += 2) {
          if (!inside(plane, row, column, offsets)) continue;
          const n = row * plane.columns + column;
          compared++;
          worst = Math.max(worst, Math.abs(out[n]! - expected[n]!));
        }
      }
      expect(compared).toBeGreaterThan(5_000);
      expect(worst, mode).toBeLessThan(0.01);
    }
  });

  it('labels on a turned plane are the nearest voxel\u2019s, as scipy map_coordinates order 0', () => {
    const axes = { axial: planeAxes(ct, 'axial'), coronal: planeAxes(ct, 'coronal'), sagittal: planeAxes(ct, 'sagittal') };
    const point: Vec3 = [300.2, 250.9, 10.1];
    const rotation = rotateAbout(identityRotation, [0, 0, 1], (25 * Math.PI) / 180);
    const { plane } = obliquePlanes({ geometry: ct, axes, rotation, point, cursor: [300, 251, 10] }).coronal;
    const out = new Uint16Array(plane.rows * plane.columns);
    reslicePlane({ voxels: labels, dimensions: ct.dimensions }, plane, { interpolation: 'nearest', background: 0 }, out);
    const expected = numpy(labelPath, planeJob(plane, [0], 0, 'mip'));
    let compared = 0;
    let labelled = 0;
    let mismatches = 0;
    for (let row = 0; row < plane.rows; row++) {
      for (let column = 0; column < plane.columns; column++) {
        if (!inside(plane, row, column, [0])) continue;
        const n = row * plane.columns + column;
        compared++;
        if (out[n] !== 0) labelled++;
        if (out[n] !== expected[n]) mismatches++;
      }
    }
    expect(compared).toBeGreaterThan(10_000);
    expect(labelled).toBeGreaterThan(1_000);
    expect(mismatches).toBe(0);
  });
});

describe('reslicePlane at a volume’s edge, against scipy', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'axial-reslice-edge-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('a one-slice volume (64 × 64 × 1, 5 mm) still shows on an axial plane turned 5°: edge voxels replicated, as map_coordinates mode nearest', () => {
    const geometry: VolumeGeometry = {
      dimensions: [64, 64, 1],
      spacing: [0.8, 0.8, 5],
      origin: [0, 0, 0],
      direction: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
    };
    const voxels = new Float64Array(64 * 64);
    for (let j = 0; j < 64; j++) for (let i = 0; i < 64; i++) voxels[i + 64 * j] = 100 * Math.sin(i / 7) * Math.cos(j / 5) + i - 2 * j;
    const path = join(scratch, 'one.f64');
    writeFileSync(path, voxels);
    const axes = { axial: planeAxes(geometry, 'axial'), coronal: planeAxes(geometry, 'coronal'), sagittal: planeAxes(geometry, 'sagittal') };
    const point: Vec3 = [31.5, 31.5, 0];
    // Turning the coronal crosshair 5° tips the axial plane 5° about the coronal normal (y).
    const rotation = rotateAbout(identityRotation, [0, 1, 0], (5 * Math.PI) / 180);
    const { plane, standard } = obliquePlanes({ geometry, axes, rotation, point, cursor: [32, 32, 0] }).axial;
    expect(standard).toBe(false);
    const out = new Float64Array(plane.rows * plane.columns);
    reslicePlane({ voxels, dimensions: geometry.dimensions }, plane, { interpolation: 'linear', background: -9999 }, out);
    const expected = runNumpy(scratch, path, geometry.dimensions, planeJob(plane, [0], 1, 'mip'));
    let lit = 0;
    let worst = 0;
    for (let row = 0; row < plane.rows; row++) {
      for (let column = 0; column < plane.columns; column++) {
        const n = row * plane.columns + column;
        // Rows whose centres fall on the volume's outer face itself (the grid reaches exactly that far) may go either way.
        const p = pixelToIndex(plane, row, column);
        const margin = Math.min(...[0, 1, 2].map((a) => Math.min(p[a]! + 0.5, geometry.dimensions[a]! - 0.5 - p[a]!)));
        if (Math.abs(margin) < 1e-6) continue;
        expect(out[n] !== -9999).toBe(margin > 0);
        if (margin < 0) continue;
        lit++;
        worst = Math.max(worst, Math.abs(out[n]! - expected[n]!));
      }
    }
    // The tipped plane stays within the slice's ±2.5 mm across the whole 51 mm: all of its 64 columns of 0.8 mm, 63 rows or more.
    console.log(`one slice turned 5°: ${lit} pixels lit of ${out.length}, worst ${worst.toExponential(2)} off scipy`);
    expect(lit).toBeGreaterThanOrEqual(64 * 63);
    expect(worst).toBeLessThan(1e-9);
  });
});

describe('slabSampleCount and slabSampleOffsets', () => {
  it('take the odd count nearest the thickness, centred on the plane', () => {
    // [slice spacing, typed] → samples: 5 mm of 2 mm is 3 (6 mm), 4 mm a tie (3), 3 mm nearer 1 than 3, 10 mm of 6 mm and 7 mm of 5 mm one slice.
    const cases: [number, number, number][] = [
      [2, 3, 1],
      [2, 4, 3],
      [2, 5, 3],
      [6, 10, 1],
      [5, 7, 1],
      [3, 4, 1],
      [2, 20, 11],
      [0.9765625, 5, 5],
      [2, 1, 1],
    ];
    for (const [spacing, typed, samples] of cases) {
      expect(slabSampleCount(typed, spacing), `${typed} mm of ${spacing} mm`).toBe(samples);
      const { first, last } = slabSampleOffsets(samples);
      expect([last - first + 1, first + last]).toEqual([samples, 0]);
    }
  });

  it('refuse an even count, which no slab is: it cannot be centred on the plane in whole steps', () => {
    for (const samples of [0, 2, 4, 1.5]) expect(() => slabSampleOffsets(samples), String(samples)).toThrow(RangeError);
    const source = { voxels: new Float32Array(8), dimensions: [2, 2, 2] as Vec3 };
    const plane = viewPlaneOf(planeAxes({ dimensions: [2, 2, 2], spacing: [1, 1, 1], origin: [0, 0, 0], direction: identityRotation }, 'axial'), 0);
    const out = new Float32Array(4).fill(7);
    expect(() => reslicePlane(source, plane, { interpolation: 'linear', samples: 2, mode: 'mip', background: 0 }, out)).toThrow(RangeError);
    // Refused before it wrote anything.
    expect([...out]).toEqual([7, 7, 7, 7]);
  });
});
