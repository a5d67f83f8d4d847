import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Volume } from '../../../../main/volume/Volume.js';
import { obliquePlanes } from '../../../../renderer/geometry/obliquePlanes.js';
import { planeAxes } from '../../../../renderer/geometry/planeAxes.js';
import { identityRotation, rotateAbout } from '../../../../renderer/geometry/rotateAbout.js';
import { pixelToIndex, viewPlaneOf, type ViewPlane } from '../../../../renderer/geometry/ViewPlane.js';
import type { Vec3 } from '../../../../core/geometry/types.js';
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

describe.skipIf(!hasSharedData)(`reslicePlane on the CT series against numpy and scipy (${noSharedDataReason})`, () => {
  let ct: Volume;
  let labels: Uint16Array;
  let range: number;
  const scratch = mkdtempSync(join(tmpdir(), 'axial-reslice-'));
  const volumePath = join(scratch, 'ct.f64');
  const labelPath = join(scratch, 'labels.f64');

  /** Runs the numpy script on a volume file; returns its output array. */
  const numpy = (path: string, job: Record<string, unknown>): Float64Array => {
    const out = join(scratch, 'out.f64');
    runPythonJson(numpyScript, [path, JSON.stringify(ct.dimensions), JSON.stringify(job), out]);
    const bytes = readFileSync(out);
    return new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
  };
  const planeJob = (plane: ViewPlane, offsets: number[], order: number, mode: SlabMode) => ({
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
  });
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

  it('a 20 mm axial slab (10 slices of 2 mm, k = 5…14) equals numpy max, min and mean over those slices', () => {
    const plane = viewPlaneOf(planeAxes(ct, 'axial'), 9);
    const samples = slabSampleCount(20, plane.normalSpacing);
    expect(samples).toBe(10);
    expect(slabSampleOffsets(samples)).toEqual({ first: -4, last: 5 });
    const out = new Float32Array(plane.rows * plane.columns);
    const counts = new Uint16Array(out.length);
    for (const mode of ['mip', 'minip', 'mean'] as const) {
      reslicePlane({ voxels: ct.voxels, dimensions: ct.dimensions }, plane, { interpolation: 'linear', samples, mode, background: -1024 }, out, counts);
      const expected = numpy(volumePath, { kind: 'axis', axis: 2, from: 5, to: 14, mode });
      let worst = 0;
      // The axial view of an LPS CT shows (i, j) in stored order: pixel n is numpy's [j, i].
      for (let n = 0; n < out.length; n++) worst = Math.max(worst, Math.abs(out[n]! - expected[n]!));
      expect(worst, mode).toBeLessThan(mode === 'mean' ? 1e-3 : 1e-9);
      if (mode === 'mean') expect(counts.every((c) => c === 10)).toBe(true);
    }
  });

  it('a coronal slab near the top clips at the volume: mean of the slices inside, as numpy over the clipped range', () => {
    // Coronal at j = 3, 10 mm → 10 samples at j = 3 + 4 … 3 − 5 (forward is anterior, −j): j = −2…7, of which 0…7 lie inside.
    const axes = planeAxes(ct, 'coronal');
    const plane = viewPlaneOf(axes, 3);
    const samples = slabSampleCount(10, plane.normalSpacing);
    expect(samples).toBe(10);
    const out = new Float64Array(plane.rows * plane.columns);
    const counts = new Uint16Array(out.length);
    reslicePlane({ voxels: ct.voxels, dimensions: ct.dimensions }, plane, { interpolation: 'linear', samples, mode: 'mean', background: -1024 }, out, counts);
    const expected = numpy(volumePath, { kind: 'axis', axis: 1, from: 0, to: 7, mode: 'mean' });
    let worst = 0;
    for (let row = 0; row < plane.rows; row++) {
      for (let column = 0; column < plane.columns; column++) {
        const [i, , k] = pixelToIndex(plane, row, column);
        worst = Math.max(worst, Math.abs(out[row * plane.columns + column]! - expected[k * ct.dimensions[0] + i]!));
      }
    }
    expect(worst).toBeLessThan(1e-9);
    expect(counts[0]).toBe(8);
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
