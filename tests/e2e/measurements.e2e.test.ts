import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Measurement } from '../../core/contract.js';
import type { Volume } from '../../main/volume/Volume.js';
import { indexToWorld } from '../../core/geometry/indexToWorld.js';
import { numpyRoiStats } from '../numpyRoiStats.js';
import { runPythonJson } from '../python.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../sharedData.js';
import { sidecarPaths } from '../../main/measurements/measurementSidecar.js';
import { canLaunchViewer, cannotLaunchReason, hookTimeoutMs, launchViewer, type ViewerSession } from './pages/launchViewer.js';
import type { Index3 } from './pages/pageShapes.js';
import { ctSeriesPath, loadFirstVolume } from './support/referenceData.js';
import { saveScreenshot } from './support/screenshots.js';

const reason = canLaunchViewer ? noSharedDataReason : cannotLaunchReason;
/** The anonymised series has no study or series UID: its sidecar is keyed by its first slice's path. */
const firstSlice = 'CT.1.3.12.2.1107.5.1.4.60064.30000022120808113428000016592';

/** Distances, and the angle at the middle point, of world (LPS) points by numpy; and the dcm2niix voxel each point falls in (RAS affine, nibabel). */
const numpyGeometry = `
import json, sys
import numpy as np, nibabel as nib
points = np.array(json.loads(sys.argv[2]), dtype=float)
affine = nib.load(sys.argv[1]).affine
ras = np.column_stack([-points[:, 0], -points[:, 1], points[:, 2], np.ones(len(points))])
voxels = (np.linalg.inv(affine) @ ras.T).T[:, :3]
out = {'distance': float(np.linalg.norm(points[1] - points[0])), 'voxels': voxels.tolist()}
if len(points) == 3:
    u, v = points[0] - points[1], points[2] - points[1]
    out['angle'] = float(np.degrees(np.arccos(np.dot(u, v) / np.linalg.norm(u) / np.linalg.norm(v))))
print(json.dumps(out))
`;

interface NumpyGeometry {
  readonly distance: number;
  readonly angle?: number;
  /** Continuous voxel indices in dcm2niix's NIfTI (LAS: its j runs opposite to the DICOM rows). */
  readonly voxels: number[][];
}

describe.skipIf(!hasSharedData || !canLaunchViewer)(`measuring on the CT series: line, angle, ellipse and freehand (${reason})`, () => {
  let session: ViewerSession;
  let ct: Volume;
  const scratch = mkdtempSync(join(tmpdir(), 'axial-e2e-measure-'));
  const series = join(scratch, 'ct');
  const dataDir = join(scratch, 'userData');
  // The user's own data folder (the default place), not the study's.
  const sidecar = sidecarPaths({ uid: '', files: [join(series, firstSlice)] }, dataDir).own!;
  const readSidecar = (): Measurement[] => (JSON.parse(readFileSync(sidecar, 'utf8')) as { measurements: Measurement[] }).measurements;
  const saved = (id: string): Measurement => readSidecar().find((m) => m.id === id)!;
  const world = (index: Index3): [number, number, number] => indexToWorld(ct, index) as [number, number, number];
  const geometry = (m: Measurement): NumpyGeometry =>
    runPythonJson<NumpyGeometry>(numpyGeometry, [sharedData('reference/ct-abdomen-j2k.dcm2niix.nii.gz'), JSON.stringify(m.points)]);
  let slice = 0;

  beforeAll(async () => {
    // A user's own copy of the study: its folder is writable, and still nothing is written there.
    cpSync(ctSeriesPath, series, { recursive: true });
    chmodSync(series, 0o755);
    ct = await loadFirstVolume(ctSeriesPath);
    session = await launchViewer({ host: { deps: { dataDir } } });
    await session.viewer.openScan(series, 'folder');
    slice = (await session.viewer.viewport('axial')).slice;
  }, hookTimeoutMs);
  afterAll(async () => {
    await session?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('1. a line on the axial view: its length in mm is the world distance between where it was drawn', async () => {
    const { row, aimed } = await session.viewer.measurements.drawLine('axial', [150, 200, slice], [350, 330, slice]);
    expect(row).toMatchObject({ kind: 'line', name: 'Line 1' });
    const [a, b] = aimed.map(world) as [[number, number, number], [number, number, number]];
    expect(row.lengthMm!).toBeCloseTo(Math.hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2]), 6);
    expect(existsSync(sidecar)).toBe(true);
    expect(readdirSync(series).filter((f) => f.endsWith('.axial-measurements.json'))).toEqual([]);
    const numpy = geometry(saved(row.id));
    expect(row.lengthMm!).toBeCloseTo(numpy.distance, 9);
    // The saved points are where the pointer was, in dcm2niix's voxels too (its j is flipped: 511 − j; its affine is float32).
    numpy.voxels.forEach((v, n) => {
      expect(Math.abs(v[0]! - aimed[n]![0])).toBeLessThan(1e-3);
      expect(Math.abs(v[1]! - (511 - aimed[n]![1]))).toBeLessThan(1e-3);
      expect(Math.abs(v[2]! - slice)).toBeLessThan(1e-3);
    });
  });

  it('2. an angle on the axial view: arms along the columns and the rows make 90°', async () => {
    const vertex: Index3 = [250, 260, slice];
    const { row, aimed } = await session.viewer.measurements.drawAngle('axial', [400, 260, slice], vertex, [250, 110, slice]);
    expect(row.kind).toBe('angle');
    const [a, v, c] = aimed.map(world) as [number, number, number][];
    const u = [a![0] - v![0], a![1] - v![1], a![2] - v![2]];
    const w = [c![0] - v![0], c![1] - v![1], c![2] - v![2]];
    const expected = (Math.acos((u[0]! * w[0]! + u[1]! * w[1]! + u[2]! * w[2]!) / Math.hypot(...u) / Math.hypot(...w)) * 180) / Math.PI;
    expect(row.angleDeg!).toBeCloseTo(expected, 6);
    expect(row.angleDeg!).toBeCloseTo(90, 0);
    expect(row.angleDeg!).toBeCloseTo(geometry(saved(row.id)).angle!, 9);
  });

  it('3. an ellipse on the axial view: voxel count, mean and SD (HU) equal numpy’s on the same mask', async () => {
    const { row, aimed } = await session.viewer.measurements.drawEllipse('axial', [200, 220, slice], [300, 290, slice]);
    const shape = saved(row.id);
    const numpy = numpyRoiStats(shape);
    expect(numpy.voxels).toBeGreaterThan(3000);
    expect(row.voxels).toBe(numpy.voxels);
    expect(row.mean!).toBeCloseTo(numpy.mean, 9);
    expect(row.sd!).toBeCloseTo(numpy.sd, 9);
    expect([row.min, row.max]).toEqual([numpy.min, numpy.max]);
    // π·a·b, the semi-axes half the box the pointer dragged (about 50 columns by 35 rows of 0.977 mm).
    const [p, q] = aimed as [Index3, Index3];
    const semiAxes = [(Math.abs(q[0] - p[0]) / 2) * ct.spacing[0], (Math.abs(q[1] - p[1]) / 2) * ct.spacing[1]] as const;
    expect(row.areaMm2!).toBeCloseTo(Math.PI * semiAxes[0] * semiAxes[1], 6);
    expect(row.areaMm2!).toBeGreaterThan(5000);
    // Min and max in whole HU, as the segment table writes a CT's values, mean and SD to 0.1 HU; what the count counts is said only under a slab.
    const { measurements, mpr } = session.viewer;
    const plain = /^mean -?\d+\.\d ± \d+\.\d HU, min -?\d+, max -?\d+, \d+ voxels$/;
    expect(await measurements.statsLine(row.id)).toMatch(plain);
    expect(await measurements.label('axial', row.id)).toMatch(/^Ellipse 1: [\d.]+ mm² \(-?\d+\.\d ± \d+\.\d\)$/);
    await mpr.setSlab('axial', 'mip', 10, 5);
    await expect.poll(() => measurements.statsLine(row.id)).toMatch(/, \d+ voxels of the centre slice$/);
    expect(await measurements.label('axial', row.id)).toMatch(/\(-?\d+\.\d ± \d+\.\d, centre slice\)$/);
    await mpr.setSlab('axial', 'mip', 0, 1);
    await expect.poll(() => measurements.statsLine(row.id)).toMatch(plain);
  });

  it('4. a freehand outline on the coronal view (0.98 × 2 mm pixels): statistics equal numpy’s', async () => {
    const j = (await session.viewer.viewport('coronal')).slice;
    const outline: Index3[] = [
      [180, j, 3],
      [260, j, 5],
      [330, j, 2],
      [350, j, 12],
      [280, j, 16],
      [200, j, 14],
      [230, j, 9],
    ];
    const { row } = await session.viewer.measurements.drawFreehand('coronal', outline);
    expect(row.kind).toBe('freehand');
    const numpy = numpyRoiStats(saved(row.id));
    expect(numpy.voxels).toBeGreaterThan(500);
    expect(row.voxels).toBe(numpy.voxels);
    expect(row.mean!).toBeCloseTo(numpy.mean, 9);
    expect(row.sd!).toBeCloseTo(numpy.sd, 9);
  });

  it('5. each measurement shows only on the plane it was drawn on', async () => {
    const { viewer } = session;
    const [line, angle, ellipse, freehand] = (await viewer.measurements.rows()).map((r) => r.id);
    expect((await viewer.measurements.shownIn('axial')).sort()).toEqual([line, angle, ellipse].sort());
    expect(await viewer.measurements.shownIn('coronal')).toEqual([freehand]);
    await saveScreenshot(viewer, 'measurements', true);
    // The overlay's list follows the slice in a render of its own, after the view's draw that press() awaits.
    await viewer.press('axial', 'ArrowUp');
    await expect.poll(() => viewer.measurements.shownIn('axial'), { timeout: 10_000 }).toEqual([]);
    await viewer.press('axial', 'ArrowDown');
    await expect.poll(async () => (await viewer.measurements.shownIn('axial')).sort(), { timeout: 10_000 }).toEqual([line, angle, ellipse].sort());
  });

  it('6. renames and deletes, and the sidecar in the data folder follows', async () => {
    const { measurements } = session.viewer;
    await measurements.rename(0, 'Liver width');
    await measurements.delete(1);
    const rows = await measurements.rows();
    expect(rows.map((r) => [r.name, r.kind])).toEqual([
      ['Liver width', 'line'],
      ['Ellipse 1', 'ellipse'],
      ['Freehand 1', 'freehand'],
    ]);
    expect(readSidecar().map((m) => [m.id, m.name, m.kind])).toEqual(rows.map((r) => [r.id, r.name, r.kind]));
  });

  it('7. exports the list as CSV with the values the panel shows', async () => {
    const path = join(scratch, 'measurements.csv');
    expect(await session.viewer.measurements.exportCsv(path)).toBe('Saved measurements.csv');
    const rows = await session.viewer.measurements.rows();
    const lines = readFileSync(path, 'utf8').split('\r\n');
    expect(lines[0]).toBe('measurement,name,kind,view,length_mm,angle_deg,area_mm2,perimeter_mm,voxels,mean,sd,min,max,units,points_lps_mm');
    expect(lines.length).toBe(rows.length + 2);
    const cells = lines.slice(1, -1).map((line) => line.split(','));
    expect(cells.map((c) => [c[1], c[2], c[3]])).toEqual([
      ['Liver width', 'line', 'axial'],
      ['Ellipse 1', 'ellipse', 'axial'],
      ['Freehand 1', 'freehand', 'coronal'],
    ]);
    expect(Number(cells[0]![4])).toBe(rows[0]!.lengthMm);
    expect(cells[1]!.slice(8, 14).map(Number)).toEqual([rows[1]!.voxels, rows[1]!.mean, rows[1]!.sd, rows[1]!.min, rows[1]!.max, Number.NaN]);
    expect(cells[1]![13]).toBe('HU');
  });

  it('8. reopening the scan restores the measurements from the sidecar', async () => {
    const before = await session.viewer.measurements.rows();
    await session.viewer.openScan(series, 'folder');
    await session.viewer.measurements.waitForCount(before.length);
    expect(await session.viewer.measurements.rows()).toEqual(before);
  });

  it('9. an ellipse on an oblique plane (the coronal view turned 25° about the axial normal): statistics equal numpy’s', async () => {
    const { viewer } = session;
    await viewer.mpr.turn('axial', 25);
    const { x, y } = await viewer.mpr.crosshairCentre('coronal');
    const row = await viewer.measurements.drawAtCss('ellipse', 'coronal', [
      { x: x - 70.5, y: y - 12.25 },
      { x: x + 55.75, y: y + 14.5 },
    ]);
    const shape = saved(row.id);
    expect(shape.view).toBe('coronal oblique');
    const normal = shape.plane.normal;
    // The plane's normal is the coronal one (−y, anterior) turned 25° about the axial normal.
    expect(Math.abs(normal[2]) / Math.hypot(...normal)).toBeLessThan(1e-9);
    expect((Math.acos(Math.abs(normal[1]) / Math.hypot(...normal)) * 180) / Math.PI).toBeCloseTo(25, 6);
    const numpy = numpyRoiStats(shape);
    expect(numpy.voxels).toBeGreaterThan(200);
    expect(row.voxels).toBe(numpy.voxels);
    expect(row.mean!).toBeCloseTo(numpy.mean, 9);
    expect(row.sd!).toBeCloseTo(numpy.sd, 9);
    expect([row.min, row.max]).toEqual([numpy.min, numpy.max]);
    expect(await viewer.measurements.shownIn('coronal')).toContain(row.id);
    // The picture is resampled between voxels; the statistics are of the voxels on the plane, and say so.
    expect(await viewer.measurements.statsLine(row.id)).toMatch(/, \d+ voxels on the plane$/);
    expect(await viewer.measurements.label('coronal', row.id)).toMatch(/\(-?\d+\.\d ± \d+\.\d, voxels on plane\)$/);
    await viewer.mpr.reset();
    expect(await viewer.measurements.shownIn('coronal')).not.toContain(row.id);
    expect(session.errors).toEqual([]);
  });
});
