import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Volume } from '../../main/volume/Volume.js';
import { indexToWorld } from '../../core/geometry/indexToWorld.js';
import { runPythonJson } from '../python.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../sharedData.js';
import { canLaunchViewer, cannotLaunchReason, hookTimeoutMs, launchViewer, type ViewerSession } from './pages/launchViewer.js';
import type { Index3 } from './pages/pageShapes.js';
import { ctSeriesPath, loadFirstVolume } from './support/referenceData.js';
import { saveScreenshot } from './support/screenshots.js';

const reason = canLaunchViewer ? noSharedDataReason : cannotLaunchReason;

/** Voxel numbers of slice `centre[2]` whose centres lie within `radiusMm` of `centre`'s (world distance), and within `range` when given. */
function discVoxels(ct: Volume, centre: Index3, radiusMm: number, range?: readonly [number, number]): number[] {
  const [ni, nj] = ct.dimensions;
  const c = indexToWorld(ct, centre);
  const k = centre[2];
  const out: number[] = [];
  for (let j = 0; j < nj; j++) {
    for (let i = 0; i < ni; i++) {
      const p = indexToWorld(ct, [i, j, k]);
      const n = i + ni * (j + nj * k);
      const v = ct.voxels[n]!;
      if (Math.hypot(p[0] - c[0], p[1] - c[1], p[2] - c[2]) > radiusMm + 1e-9) continue;
      if (range && (v < range[0] || v > range[1])) continue;
      out.push(n);
    }
  }
  return out;
}

function statsOf(ct: Volume, voxels: readonly number[]): { voxels: number; mean: number; sd: number; min: number; max: number } {
  const values = voxels.map((n) => ct.voxels[n]!);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
  return { voxels: values.length, mean, sd, min: Math.min(...values), max: Math.max(...values) };
}

describe.skipIf(!hasSharedData || !canLaunchViewer)(`editing a segmentation by hand on the CT series (${reason})`, () => {
  let session: ViewerSession;
  let ct: Volume;
  let centre: Index3;
  const scratch = mkdtempSync(join(tmpdir(), 'axial-e2e-editing-'));

  beforeAll(async () => {
    ct = await loadFirstVolume(ctSeriesPath);
    session = await launchViewer();
    await session.viewer.openScan(ctSeriesPath, 'folder');
  }, hookTimeoutMs);
  afterAll(async () => {
    await session?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('1. paints a 6 mm disc and erases a 2 mm one inside it: the voxels and HU statistics follow', async () => {
    const { editing } = session.viewer;
    expect(await editing.addSegment()).toBe('0:1');
    await editing.chooseTool('brush');
    await editing.setBrush(6, 'disc');
    const axial = await session.viewer.viewport('axial');
    const grey = await session.viewer.pixelAt('axial', 300, 260, axial.slice);
    expect(grey.rgba[0]).toBe(grey.rgba[2]);
    centre = await editing.dabAt('axial', [300, 260, axial.slice]);
    // The view shows the paint: the segment's colour over the grey, in every view through the centre.
    const painted = await session.viewer.pixelAt('axial', ...centre);
    expect(Math.abs(painted.rgba[0] - painted.rgba[2])).toBeGreaterThan(20);
    const disc = statsOf(ct, discVoxels(ct, centre, 6));
    const shown = await editing.stats('0:1');
    expect(shown.voxels).toBe(disc.voxels);
    expect(shown.voxels).toBeGreaterThan(100);
    expect(shown.ml).toBeCloseTo((disc.voxels * ct.spacing[0] * ct.spacing[1] * ct.spacing[2]) / 1000, 2);
    expect(shown.mean).toBeCloseTo(disc.mean, 1);
    expect(shown.sd).toBeCloseTo(disc.sd, 1);
    expect([shown.min, shown.max]).toEqual([disc.min, disc.max]);

    await editing.chooseTool('eraser');
    await editing.setBrush(2, 'disc');
    expect(await editing.dabAt('axial', centre)).toEqual(centre);
    const inner = new Set(discVoxels(ct, centre, 2));
    const ring = statsOf(
      ct,
      discVoxels(ct, centre, 6).filter((n) => !inner.has(n)),
    );
    const erased = await editing.stats('0:1');
    expect(erased.voxels).toBe(ring.voxels);
    expect(erased.mean).toBeCloseTo(ring.mean, 1);
  });

  it('2. undoes and redoes the erase (button and Ctrl+Z / Ctrl+Shift+Z)', async () => {
    const { editing } = session.viewer;
    const disc = discVoxels(ct, centre, 6).length;
    const ring = disc - discVoxels(ct, centre, 2).length;
    await editing.undo();
    expect((await editing.stats('0:1')).voxels).toBe(disc);
    await editing.redo();
    expect((await editing.stats('0:1')).voxels).toBe(ring);
    await editing.shortcut('Control+z');
    expect((await editing.stats('0:1')).voxels).toBe(disc);
    await editing.shortcut('Control+Shift+z');
    expect((await editing.stats('0:1')).voxels).toBe(ring);
  });

  it('3. a threshold brush paints a second segment only where the HU lie in its range', async () => {
    const { editing } = session.viewer;
    expect(await editing.addSegment()).toBe('0:2');
    await editing.chooseTool('brush');
    await editing.setBrush(10, 'disc', [0, 80]);
    const axial = await session.viewer.viewport('axial');
    const at = await editing.dabAt('axial', [200, 300, axial.slice]);
    const painted = discVoxels(ct, at, 10, [0, 80]).filter((n) => !discVoxels(ct, centre, 6).includes(n) || discVoxels(ct, centre, 2).includes(n));
    const expected = statsOf(ct, painted);
    const shown = await editing.stats('0:2');
    expect(shown.voxels).toBe(expected.voxels);
    expect(shown.min).toBeGreaterThanOrEqual(0);
    expect(shown.max).toBeLessThanOrEqual(80);
    expect(shown.voxels).toBeLessThan(discVoxels(ct, at, 10).length);
    await saveScreenshot(session.viewer, 'editing', true);
  });

  it('4. exports a DICOM SEG that pydicom reads with one frame per painted slice and the painted voxels', async () => {
    const { editing } = session.viewer;
    const status = await editing.export('dicom-seg', join(scratch, 'edited'));
    expect(status).toMatch(/^Saved edited\.dcm/);
    const seg = runPythonJson<{ labels: string[]; types: string[]; frames: { segment: number; voxels: number }[] }>(
      `import sys, json, pydicom
ds = pydicom.dcmread(sys.argv[1]); px = ds.pixel_array.reshape(int(ds.NumberOfFrames), ds.Rows, ds.Columns)
print(json.dumps({"labels": [s.SegmentLabel for s in ds.SegmentSequence], "types": [s.SegmentAlgorithmType for s in ds.SegmentSequence],
  "frames": [{"segment": int(f.SegmentIdentificationSequence[0].ReferencedSegmentNumber), "voxels": int(px[n].sum())}
             for n, f in enumerate(ds.PerFrameFunctionalGroupsSequence)]}))`,
      [join(scratch, 'edited.dcm')],
    );
    expect(seg.labels).toEqual(['Segment 1', 'Segment 2']);
    expect(seg.types).toEqual(['MANUAL', 'MANUAL']);
    expect(seg.frames.map((f) => f.segment)).toEqual([1, 2]);
    expect(seg.frames[0]!.voxels).toBe((await editing.stats('0:1')).voxels);
    expect(seg.frames[1]!.voxels).toBe((await editing.stats('0:2')).voxels);
  });

  it('5. offers no DICOM SEG for a NIfTI scan, and says why', async () => {
    const { viewer, page } = session;
    await viewer.openScan(sharedData('nifti/totalseg/example_ct_sm.nii.gz'), 'file');
    await viewer.editing.addSegment();
    expect(await page.locator('[data-testid="export-format"] option[value="dicom-seg"]').isDisabled()).toBe(true);
    expect(await page.getByTestId('seg-export-reason').innerText()).toBe('DICOM SEG must refer to DICOM images; this scan was read from NIFTI');
    expect(session.errors).toEqual([]);
  });

  it('6. opens a DICOM SEG with overlapping segments onto its series, each segment kept whole in its own layer', async () => {
    const { viewer, page } = session;
    // Test 5 added a segment: that is an unsaved edit, so opening another scan asks first.
    await viewer.openScan(sharedData('dicom/seg/ct-3slice'), 'folder', { answer: 'discard' });
    await viewer.openLabels(sharedData('dicom/seg/dcmqi/partial_overlaps.dcm'));
    const rows = await page
      .getByTestId('segment-list')
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-testid')));
    // dcmqi's five segments; three overlap, so they need three layers (counts checked against pydicom in the unit tests).
    expect(rows).toEqual(['segment-0:1', 'segment-1:2', 'segment-2:3', 'segment-0:4', 'segment-0:5']);
    const voxels = [];
    for (const key of ['0:1', '1:2', '2:3', '0:4', '0:5']) voxels.push((await viewer.editing.stats(key)).voxels);
    expect(voxels).toEqual([9602, 11888, 10743, 6693, 4713]);
    expect(session.errors).toEqual([]);
  });
});
