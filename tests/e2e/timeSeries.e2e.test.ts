import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Volume } from '../../main/volume/Volume.js';
import { debianPython, runPythonJson } from '../python.js';
import { repoRoot } from '../repoRoot.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../sharedData.js';
import { canLaunchViewer, cannotLaunchReason, hookTimeoutMs, launchViewer, type ViewerSession } from './pages/launchViewer.js';
import type { Index3 } from './pages/pageShapes.js';
import { viewNames } from './pages/pageShapes.js';
import { expectedGrey } from './support/expectedPixels.js';
import { saveScreenshot } from './support/screenshots.js';

/**
 * A folder holding a 4D fMRI-like series (makeTimeSeries.py: 12 real ct-abdomen-j2k slices at 4
 * time points, values + 100 per time point) and a two-echo series, opened through the test host:
 * the picker offers the 4D series as ONE row with "4 time points" (and the echoes as two), the time
 * slider steps it and the axial view shows each time point's pixels as numpy reads them, and cine
 * over time advances the time point on its own.
 */
const reason = canLaunchViewer ? noSharedDataReason : cannotLaunchReason;
const fixtures = join(repoRoot, 'tests', 'fixtures');

/** Time point t's slices as pydicom reads them, sorted along the normal, written raw (uint16, i fastest) for the expected pixels. */
const sliceScript = `
import glob, json, os, sys
import numpy as np, pydicom
folder, t, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
files = [pydicom.dcmread(f) for f in sorted(glob.glob(os.path.join(folder, f'IM_{t + 1:02d}_*.dcm')))]
normal = np.cross(*np.array(files[0].ImageOrientationPatient, dtype=float).reshape(2, 3))
files.sort(key=lambda ds: float(np.dot(normal, np.array(ds.ImagePositionPatient, dtype=float))))
volume = np.stack([ds.pixel_array for ds in files])
volume.astype('<u2').tofile(out)
print(json.dumps({'dims': [int(volume.shape[2]), int(volume.shape[1]), int(volume.shape[0])], 'centre': int(volume[6, 256, 256])}))
`;

describe.skipIf(!hasSharedData || !canLaunchViewer)(`a 4D series with its time slider (${reason})`, () => {
  let session: ViewerSession;
  let folder: string;
  /** Each time point's voxels as numpy read them. */
  const numpyVolumes: Volume[] = [];

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'axial-e2e-4d-'));
    const source = sharedData('dicom/ct-abdomen-j2k');
    execFileSync(debianPython, [join(fixtures, 'makeTimeSeries.py'), source, join(folder, 'study', 'fmri')], { cwd: fixtures, encoding: 'utf8' });
    execFileSync(debianPython, [join(fixtures, 'makeTimeSeries.py'), source, join(folder, 'study', 'echoes'), '--echoes'], { cwd: fixtures, encoding: 'utf8' });
    for (let t = 0; t < 4; t++) {
      const raw = join(folder, `t${t}.raw`);
      const { dims } = runPythonJson<{ dims: [number, number, number] }>(sliceScript, [join(folder, 'study', 'fmri'), String(t), raw]);
      const bytes = readFileSync(raw);
      const voxels = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
      numpyVolumes.push({ dimensions: dims, voxels } as unknown as Volume);
    }
    session = await launchViewer();
  }, hookTimeoutMs);
  afterAll(async () => {
    await session?.close();
    rmSync(folder, { recursive: true, force: true });
  }, hookTimeoutMs);

  /** The axial view's pixels at the centre slice's voxels, against numpy's time point t: how many differ by more than 2 grey levels. */
  async function axialMisses(t: number): Promise<{ checked: number; misses: number; greys: number[] }> {
    const { viewer } = session;
    const viewport = await viewer.viewport('axial');
    const k = (await viewer.sceneIds()).cursor![2];
    const indices: Index3[] = [];
    for (let j = 160; j <= 352; j += 32) for (let i = 160; i <= 352; i += 32) indices.push([i, j, k]);
    const samples = await viewer.pixelsAt('axial', indices);
    let misses = 0;
    let checked = 0;
    const greys: number[] = [];
    for (const sample of samples) {
      const expected = expectedGrey(numpyVolumes[t]!, viewport, sample);
      greys.push(sample.rgba[0]);
      if (expected.span > 8) continue; // an edge the scaling filter may blur either way
      checked++;
      if (Math.abs(sample.rgba[0] - expected.grey) > 2) misses++;
    }
    return { checked, misses, greys };
  }

  it('1. the picker shows the 4D series as ONE row with "4 time points", the two echoes as two', async () => {
    const { viewer, page } = session;
    viewer.host.answerNextOpen(join(folder, 'study'));
    await page.getByTestId('open-folder').click();
    const picker = page.getByTestId('series-picker');
    await picker.waitFor();
    const rows = await picker.getByRole('listitem').allInnerTexts();
    expect(rows).toHaveLength(3);
    const fourD = rows.filter((row) => row.includes('4 time points'));
    expect(fourD).toEqual(['Se 7 · REST fMRI · MR · 48 images · 512×512×12 · 4 time points']);
    expect(rows.filter((row) => row.includes('T2 multi-echo')).sort()).toEqual([
      'Se 7 · T2 multi-echo · echo 1 · MR · 12 images · 512×512×12 · derived',
      'Se 7 · T2 multi-echo · echo 2 · MR · 12 images · 512×512×12 · derived',
    ]);
    await saveScreenshot(viewer, 'series-picker-4d', true);
  });

  it('2. the 4D series opens at t 1/4 with its slider; the axial pixels are time point 0’s as numpy reads them', async () => {
    const { viewer, page } = session;
    const counts = await viewer.renderedCounts();
    const index = await page
      .getByTestId('series-picker')
      .getByRole('listitem')
      .filter({ hasText: '4 time points' })
      .getByRole('button')
      .getAttribute('data-testid');
    await page.getByTestId(index!).click();
    for (const view of viewNames) await viewer.waitForRendered(view, counts[view]);
    await page.getByTestId('time-slider').waitFor();
    expect(await page.getByTestId('time-readout').innerText()).toBe('t 1/4');
    const check = await axialMisses(0);
    expect(check.checked).toBeGreaterThan(20);
    expect(check.misses).toBe(0);
    expect(session.errors).toEqual([]);
  });

  it('3. ▶ and Ctrl+→ step the time point; the window and slice stay and the pixels become time point t’s', async () => {
    const { viewer, page } = session;
    const before = await viewer.viewport('axial');
    const cursor = (await viewer.sceneIds()).cursor;
    const first = await axialMisses(0);
    await viewer.redrawing(['axial'], () => page.getByTestId('time-next').click());
    await page.getByTestId('time-slider').and(page.locator('[data-time-point="1"][data-loading="false"]')).waitFor();
    expect(await page.getByTestId('time-readout').innerText()).toBe('t 2/4');
    await viewer.redrawing(['axial'], () => page.keyboard.press('Control+ArrowRight'));
    await page.locator('[data-testid="time-slider"][data-time-point="2"][data-loading="false"]').waitFor();
    expect(await page.getByTestId('time-readout').innerText()).toBe('t 3/4');
    const after = await viewer.viewport('axial');
    expect(after.window).toEqual(before.window);
    expect((await viewer.sceneIds()).cursor).toEqual(cursor);
    const third = await axialMisses(2);
    expect(third.misses).toBe(0);
    // + 200 stored per voxel through the window: brighter where the window did not clip.
    const brighter = third.greys.filter((grey, n) => grey > first.greys[n]! + 20).length;
    expect(brighter).toBeGreaterThan(third.greys.length / 2);
    await saveScreenshot(viewer, 'time-series-4d', true);
    expect(session.errors).toEqual([]);
  });

  it('4. cine over time advances the time point by itself, and stops', async () => {
    const { page } = session;
    await page.getByTestId('cine-mode').selectOption('time');
    await page.getByTestId('cine-fps').fill('4');
    await page.getByTestId('cine-play').click();
    const seen = new Set<string>();
    const deadline = Date.now() + 30_000;
    while (seen.size < 4 && Date.now() < deadline) {
      seen.add(await page.getByTestId('time-readout').innerText());
      await page.waitForTimeout(50);
    }
    await page.getByTestId('cine-play').click();
    expect([...seen].sort()).toEqual(['t 1/4', 't 2/4', 't 3/4', 't 4/4']);
    expect(session.errors).toEqual([]);
  });

  it('5. a measurement drawn on one time point stays listed on the next and the previous (prefetched) ones', async () => {
    const { viewer, page } = session;
    const { slice } = await viewer.viewport('axial');
    const { row } = await viewer.measurements.drawLine('axial', [120, 140, slice], [300, 260, slice]);
    const listed = (await viewer.measurements.rows()).length;
    expect(listed).toBeGreaterThan(0);
    // There and back, whichever way the slider has room (cine may have stopped on the last time point).
    const start = await page.getByTestId('time-slider').getAttribute('data-time-point');
    for (const step of start === '0' ? ['time-next', 'time-previous'] : ['time-previous', 'time-next']) {
      const shown = await page.getByTestId('time-slider').getAttribute('data-time-point');
      await page.getByTestId(step).click();
      await page.locator(`[data-testid="time-slider"]:not([data-time-point="${shown}"])[data-loading="false"]`).waitFor();
      const rows = await viewer.measurements.rows();
      expect(rows.map((r) => r.id)).toContain(row.id);
      expect(rows.length).toBe(listed);
    }
    expect(session.errors).toEqual([]);
  });
});
