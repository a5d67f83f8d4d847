import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPythonJson } from '../python.js';
import { canLaunchViewer, cannotLaunchReason, hookTimeoutMs, launchViewer, type ViewerSession } from './pages/launchViewer.js';
import type { Index3, ViewportSnapshot } from './pages/pageShapes.js';
import { windowGrey } from './support/expectedPixels.js';

/**
 * Stepping a 4D series along time changes its voxels and nothing else the user set: a zoomed and panned
 * axial view keeps its zoom, pan, slice and window through Ctrl+→, ▶ and the slider, and shows each time
 * point's own values. The series is a float 4D NIfTI that nibabel writes (TR 2 s): each time point's
 * values are the first's × (t + 1), so each has its own value range (its own stored-pixel scaling). The
 * slider says each time point's seconds from the first, from the file's pixdim[4].
 */
const makeScript = `
import json, sys
import nibabel as nib, numpy as np
i, j, k = np.meshgrid(np.arange(48), np.arange(40), np.arange(12), indexing='ij')
base = (1 + ((i // 8) + (j // 8) + k) % 5) * 12.5
data = np.stack([base * (t + 1) for t in range(6)], axis=-1).astype(np.float32)
image = nib.Nifti1Image(data, np.diag([2.0, 2.0, 3.0, 1.0]))
image.header.set_zooms((2.0, 2.0, 3.0, 2.0))
image.header.set_xyzt_units('mm', 'sec')
nib.save(image, sys.argv[1])
print(json.dumps(list(image.shape)))
`;

/** The value nibabel wrote at voxel (i, j, k) of time point t. */
function valueAt([i, j, k]: Index3, t: number): number {
  return (1 + ((Math.floor(i / 8) + Math.floor(j / 8) + k) % 5)) * 12.5 * (t + 1);
}

describe.skipIf(!canLaunchViewer)(`a time step keeps the 2D views' zoom and pan (${canLaunchViewer ? 'a nibabel 4D NIfTI' : cannotLaunchReason})`, () => {
  let session: ViewerSession;
  let folder: string;
  let file: string;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'axial-e2e-4d-view-'));
    file = join(folder, 'fmri4d.nii.gz');
    expect(runPythonJson<number[]>(makeScript, [file])).toEqual([48, 40, 12, 6]);
    session = await launchViewer();
  }, hookTimeoutMs);
  afterAll(async () => {
    await session?.close();
    rmSync(folder, { recursive: true, force: true });
  }, hookTimeoutMs);

  /** Runs `action`, then waits for time point `t` to be shown and the axial view to draw it. */
  async function stepTo(t: number, action: () => Promise<unknown>): Promise<ViewportSnapshot> {
    const { viewer, page } = session;
    await viewer.redrawing(['axial'], async () => {
      await action();
      await page.locator(`[data-testid="time-slider"][data-time-point="${t}"][data-loading="false"]`).waitFor();
    });
    return viewer.viewport('axial');
  }

  /** Block centres on the axial slice shown: each block is flat, so the screen's smoothing leaves its grey alone. */
  async function greyMisses(snapshot: ViewportSnapshot, t: number): Promise<{ checked: number; misses: string[] }> {
    const k = (await session.viewer.sceneIds()).cursor![2];
    const indices: Index3[] = [];
    for (let i = 4; i < 48; i += 8) for (let j = 4; j < 40; j += 8) indices.push([i, j, k]);
    const samples = (await session.viewer.pixelsAt('axial', indices))
      // Zoomed and panned, some block centres lie off the canvas (read back as transparent).
      .filter((s) => s.cssX > 0 && s.cssY > 0 && s.rgba[3] === 255);
    const misses = samples
      .filter((s) => Math.abs(s.rgba[0] - windowGrey(valueAt(s.index, t), snapshot.window)) > 2)
      .map((s) => `${s.index.join(',')}: ${s.rgba[0]} for ${valueAt(s.index, t)}`);
    return { checked: samples.length, misses };
  }

  it('1. opens at t 1/6 · 0.0 s', async () => {
    const { viewer, page } = session;
    await viewer.openScan(file, 'file');
    await page.getByTestId('time-slider').waitFor();
    expect(await page.getByTestId('time-readout').innerText()).toBe('t 1/6');
    expect(await page.getByTestId('time-seconds').innerText()).toBe('· 0.0 s');
  });

  it('2. zoomed and panned, the axial view keeps zoom, pan, slice and window through Ctrl+→, ▶ and the slider', async () => {
    const { viewer, page } = session;
    const axial = page.getByTestId('viewport-axial');
    // press() lets the draw that focusing (activating) the view causes pass before it awaits the key's.
    await viewer.press('axial', '+');
    await viewer.press('axial', '+');
    const box = (await axial.boundingBox())!;
    await viewer.redrawing(['axial'], async () => {
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down({ button: 'middle' });
      await page.mouse.move(box.x + box.width / 2 + 40, box.y + box.height / 2 + 25, { steps: 4 });
      await page.mouse.up({ button: 'middle' });
    });
    const set = await viewer.viewport('axial');
    const kept = (snapshot: ViewportSnapshot) => ({ cssFromVoxel: snapshot.cssFromVoxel, slice: snapshot.slice, window: snapshot.window });

    await axial.focus();
    const t1 = await stepTo(1, () => page.keyboard.press('Control+ArrowRight'));
    expect(kept(t1)).toEqual(kept(set));
    expect(await page.getByTestId('time-readout').innerText()).toBe('t 2/6');
    expect(await page.getByTestId('time-seconds').innerText()).toBe('· 2.0 s');

    const t2 = await stepTo(2, () => page.getByTestId('time-next').click());
    expect(kept(t2)).toEqual(kept(set));

    const t3 = await stepTo(3, async () => {
      await page.getByTestId('time-range').focus();
      await page.keyboard.press('ArrowRight');
    });
    expect(kept(t3)).toEqual(kept(set));
    expect(await page.getByTestId('time-seconds').innerText()).toBe('· 6.0 s');
    expect(await page.getByTestId('time-range').getAttribute('aria-valuetext')).toBe('time point 4 of 6, 6.0 s');
  });

  it('3. each time point shows its own values (its own stored-pixel scaling), under the window kept', async () => {
    const { page } = session;
    for (const [t, action] of [
      [4, () => page.getByTestId('time-next').click()],
      [1, () => page.getByTestId('time-range').fill('2')],
    ] as const) {
      const snapshot = await stepTo(t, action);
      const { checked, misses } = await greyMisses(snapshot, t);
      expect(checked).toBeGreaterThan(10);
      expect([t, misses]).toEqual([t, []]);
    }
    expect(session.errors).toEqual([]);
  });
});
