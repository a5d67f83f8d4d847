import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPythonJson } from '../python.js';
import { canLaunchViewer, cannotLaunchReason, hookTimeoutMs, launchViewer, type ViewerSession } from './pages/launchViewer.js';

/**
 * Editing a 4D series reads the time point shown, not the one the segmentation was made on. The series is an
 * int16 4D NIfTI that nibabel writes (48×48×12, 1 mm, 4 time points): value (i + j)·5 + k + 50·t, so a threshold
 * of 200…300 HU holds other voxels at each time point. A segmentation made at t 1/4, a threshold brush at t 4/4
 * that covers the whole axial slice must paint exactly the voxels nibabel finds in range at t 4/4 (undo and redo
 * exactly those), and the segment's mean must follow the time point shown, as nibabel's means of its voxels do.
 */
const makeScript = `
import json, sys
import nibabel as nib, numpy as np
i, j, k = np.meshgrid(np.arange(48), np.arange(48), np.arange(12), indexing='ij')
base = (i + j) * 5 + k
data = np.stack([base + 50 * t for t in range(4)], axis=-1).astype(np.int16)
image = nib.Nifti1Image(data, np.diag([1.0, 1.0, 1.0, 1.0]))
image.header.set_zooms((1.0, 1.0, 1.0, 2.0))
image.header.set_xyzt_units('mm', 'sec')
nib.save(image, sys.argv[1])
print(json.dumps(list(image.shape)))
`;

/** nibabel's answers for the exported label map: its labelled voxels, and their mean at each time point. */
const checkScript = `
import json, sys
import nibabel as nib, numpy as np
data = np.asarray(nib.load(sys.argv[1]).dataobj).astype(np.float64)
labels = np.asarray(nib.load(sys.argv[2]).dataobj)
k, t, lo, hi = (int(a) for a in sys.argv[3:7])
expected = np.zeros(labels.shape, bool)
expected[:, :, k] = (data[:, :, k, t] >= lo) & (data[:, :, k, t] <= hi)
painted = labels == 1
print(json.dumps({
  'expected': int(expected.sum()),
  'painted': int(painted.sum()),
  'same': bool((painted == expected).all()),
  'inRangeAtFirst': int(((data[:, :, k, 0] >= lo) & (data[:, :, k, 0] <= hi)).sum()),
  'means': [float(data[..., s][painted].mean()) for s in range(data.shape[3])],
}))
`;

interface Check {
  readonly expected: number;
  readonly painted: number;
  readonly same: boolean;
  readonly inRangeAtFirst: number;
  readonly means: readonly number[];
}

describe.skipIf(!canLaunchViewer)(`editing a 4D series follows the time point shown (${canLaunchViewer ? 'a nibabel 4D NIfTI' : cannotLaunchReason})`, () => {
  let session: ViewerSession;
  let folder: string;
  let file: string;
  let check: Check;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'axial-e2e-4d-edit-'));
    file = join(folder, 'ramp4d.nii.gz');
    expect(runPythonJson<number[]>(makeScript, [file])).toEqual([48, 48, 12, 4]);
    session = await launchViewer();
  }, hookTimeoutMs);
  afterAll(async () => {
    await session?.close();
    rmSync(folder, { recursive: true, force: true });
  }, hookTimeoutMs);

  /** Steps to time point `t` (0-based) with the slider's ▶ / ◀ and waits until the axial view draws it. */
  async function stepTo(t: number, button: 'time-next' | 'time-previous'): Promise<void> {
    const { viewer, page } = session;
    await viewer.redrawing(['axial'], async () => {
      await page.getByTestId(button).click();
      await page.locator(`[data-testid="time-slider"][data-time-point="${t}"][data-loading="false"]`).waitFor();
    });
  }

  /** Waits until the list shows the segment's mean at time point `t` as nibabel's, then checks the list says which time point. */
  async function expectMeanAt(t: number): Promise<void> {
    const { viewer, page } = session;
    await expect.poll(async () => (await viewer.editing.stats('0:1')).mean, { timeout: 15_000 }).toBeCloseTo(check.means[t]!, 6);
    const panel = page.getByTestId('segments');
    expect(await panel.getAttribute('data-stats-time-point')).toBe(String(t));
    expect(await panel.getAttribute('data-stats-revision')).toBe(await panel.getAttribute('data-revision'));
    expect(await page.getByTestId('stats-time-point').innerText()).toBe(`Statistics of time point ${t + 1}`);
  }

  it('paints, at t 4/4, exactly the voxels nibabel finds in range at t 4/4, and undoes and redoes exactly those', async () => {
    const { viewer, page } = session;
    await viewer.openScan(file, 'file');
    await page.getByTestId('time-slider').waitFor();
    expect(await viewer.editing.addSegment()).toBe('0:1'); // made at t 1/4
    for (const t of [1, 2, 3]) await stepTo(t, 'time-next');
    expect(await page.getByTestId('time-readout').innerText()).toBe('t 4/4');
    await viewer.editing.chooseTool('brush');
    // 100 mm covers the whole 48 × 48 mm slice: the threshold alone decides.
    await viewer.editing.setBrush(100, 'disc', [200, 300]);
    const { slice } = await viewer.viewport('axial');
    await viewer.editing.dabAt('axial', [24, 24, slice]);
    const labels = join(folder, 'painted.nii.gz');
    await viewer.editing.export('nifti', labels);
    check = runPythonJson<Check>(checkScript, [file, labels, String(slice), '3', '200', '300']);
    // The time point the segmentation was made on holds other voxels in range: reading it would paint those.
    expect(check.inRangeAtFirst).not.toBe(check.expected);
    expect(check.expected).toBeGreaterThan(100);
    expect({ painted: check.painted, same: check.same }).toEqual({ painted: check.expected, same: true });
    expect((await viewer.editing.stats('0:1')).voxels).toBe(check.expected);

    await viewer.editing.undo();
    expect((await viewer.editing.stats('0:1')).voxels).toBe(0);
    await viewer.editing.redo();
    expect((await viewer.editing.stats('0:1')).voxels).toBe(check.expected);
  });

  it("shows the segment's mean at the time point shown, as nibabel's means of its voxels", async () => {
    expect(check.means.map((m, t) => m - check.means[0]! - 50 * t).every((d) => Math.abs(d) < 1e-9)).toBe(true);
    await expectMeanAt(3);
    for (const t of [2, 1, 0]) {
      await stepTo(t, 'time-previous');
      await expectMeanAt(t);
    }
  });
});
