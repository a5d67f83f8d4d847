import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPythonJson } from '../python.js';
import { canLaunchViewer, cannotLaunchReason, hookTimeoutMs, launchViewer, type ViewerSession } from './pages/launchViewer.js';

/**
 * The time slider says each time point's own time from the first, as the files date it, never t × one step:
 * - dce/: a DICOM DCE series (pydicom, the review's mkdce.py) acquired at 0, 10, 20, 60 and 120 s, RepetitionTime 4.1 ms
 *   (one step, the median 25 s, would read 25 s and 100 s for the 2nd and 5th);
 * - cine/: a cardiac cine (mkcine.py), phases at TriggerTime 0, 40, 80, 120 ms, one AcquisitionTime, RepetitionTime 3.2 ms
 *   (t × TR read 0.003 s);
 * - vector.nii: a 20×20×10×1×3 vector NIfTI (nibabel, intent 'vector', pixdim 1 s): three components, no time.
 * The readout and the time are one live region, so a screen reader hears "t 2/5 · 10.0 s", not "t 2/5" alone.
 */
const makeScript = `
import json, os, sys
import numpy as np, nibabel as nib
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, MRImageStorage
root = sys.argv[1]
cases = {
    'dce': dict(tr='4.1', acquisition=['1015%02d.000000' % s if s < 60 else '10%02d%02d.000000' % (15 + s // 60, s % 60) for s in (0, 10, 20, 60, 120)]),
    'cine': dict(tr='3.2', trigger=[0, 40, 80, 120], acquisition=['101500.000000'] * 4),
}
for c, (folder, case) in enumerate(cases.items()):
    os.makedirs(os.path.join(root, folder))
    count = len(case['acquisition'])
    for t in range(count):
        for k in range(3):
            uid = '1.2.826.0.1.3680043.8.498.98.%d.%d.%d' % (c, t, k)
            meta = FileMetaDataset()
            meta.MediaStorageSOPClassUID, meta.MediaStorageSOPInstanceUID, meta.TransferSyntaxUID = MRImageStorage, uid, ExplicitVRLittleEndian
            ds = Dataset()
            ds.file_meta = meta
            ds.SOPClassUID, ds.SOPInstanceUID = MRImageStorage, uid
            ds.StudyInstanceUID = ds.FrameOfReferenceUID = '1.2.826.0.1.3680043.8.498.98.%d' % c
            ds.SeriesInstanceUID = '1.2.826.0.1.3680043.8.498.98.%d.1' % c
            ds.Modality, ds.PatientName, ds.PatientID, ds.SeriesNumber = 'MR', 'TIME^Test', '1', 1
            ds.InstanceNumber, ds.AcquisitionNumber, ds.RepetitionTime = k + 1, 1, case['tr']
            ds.AcquisitionTime = case['acquisition'][t]
            if 'trigger' in case:
                ds.TriggerTime = '%g' % case['trigger'][t]
            else:
                ds.TemporalPositionIdentifier, ds.NumberOfTemporalPositions = t + 1, count
            ds.ImagePositionPatient, ds.ImageOrientationPatient = [0, 0, 6.0 * k], [1, 0, 0, 0, 1, 0]
            ds.PixelSpacing, ds.SliceThickness = [1.5, 1.5], 6
            ds.Rows = ds.Columns = 32
            ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, 'MONOCHROME2'
            ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 0
            ds.PixelData = (np.arange(32 * 32, dtype='<u2').reshape(32, 32) + 100 * t).tobytes()
            ds.is_little_endian, ds.is_implicit_VR = True, False
            ds.save_as(os.path.join(root, folder, 't%d_%d.dcm' % (t, k)), write_like_original=False)
image = nib.Nifti1Image((np.arange(20 * 20 * 10 * 3) % 50).astype(np.float32).reshape(20, 20, 10, 1, 3), np.eye(4))
image.header.set_zooms((1.0, 1.0, 1.0, 1.0, 1.0))
image.header.set_xyzt_units('mm', 'sec')
image.header.set_intent('vector', (), '')
nib.save(image, os.path.join(root, 'vector.nii'))
print(json.dumps(cases['dce']['acquisition']))
`;

/** What the slider shows of time point `t`: the readout, the seconds (null when none) and the live region's words. */
interface Shown {
  readonly readout: string;
  readonly seconds: string | null;
  readonly announced: string | null;
}

/** The live region around the readout: `<output>`, or anything with role=status or aria-live. */
function shownTime(page: Page): Promise<Shown> {
  return page.evaluate(() => {
    interface Node {
      readonly textContent: string | null;
      closest(selector: string): Node | null;
    }
    const { document } = globalThis as unknown as { document: { querySelector(selector: string): (Node & { innerText: string }) | null } };
    const readout = document.querySelector('[data-testid="time-readout"]')!;
    const seconds = document.querySelector('[data-testid="time-seconds"]');
    const live = readout.closest('output, [role="status"], [aria-live]:not([aria-live="off"])');
    return { readout: readout.innerText, seconds: seconds?.innerText ?? null, announced: live?.textContent?.replace(/\s+/g, ' ').trim() ?? null };
  });
}

describe.skipIf(!canLaunchViewer)(`the time slider's own time per time point (${canLaunchViewer ? 'pydicom and nibabel series' : cannotLaunchReason})`, () => {
  let session: ViewerSession;
  let folder: string;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'axial-e2e-time-offsets-'));
    expect(runPythonJson<string[]>(makeScript, [folder])).toEqual(['101500.000000', '101510.000000', '101520.000000', '101600.000000', '101700.000000']);
    session = await launchViewer();
  }, hookTimeoutMs);
  afterAll(async () => {
    await session?.close();
    rmSync(folder, { recursive: true, force: true });
  }, hookTimeoutMs);

  /** Every time point's readout, stepping with ▶ from the first. */
  async function everyTimePoint(count: number): Promise<Shown[]> {
    const { page } = session;
    const shown: Shown[] = [];
    for (let t = 0; t < count; t++) {
      if (t > 0) await page.getByTestId('time-next').click();
      await page.locator(`[data-testid="time-slider"][data-time-point="${t}"][data-loading="false"]`).waitFor();
      shown.push(await shownTime(page));
    }
    return shown;
  }

  it('1. a DCE series sampled at 0, 10, 20, 60 and 120 s reads those seconds, and says them in its live region', async () => {
    await session.viewer.openScan(join(folder, 'dce'), 'folder');
    const shown = await everyTimePoint(5);
    expect(shown.map((s) => s.readout)).toEqual(['t 1/5', 't 2/5', 't 3/5', 't 4/5', 't 5/5']);
    expect(shown.map((s) => s.seconds)).toEqual(['· 0.0 s', '· 10.0 s', '· 20.0 s', '· 60.0 s', '· 120.0 s']);
    expect(shown[1]!.announced).toBe('t 2/5 · 10.0 s');
    expect(await session.page.getByTestId('time-range').getAttribute('aria-valuetext')).toBe('time point 5 of 5, 120.0 s');
  });

  it('2. a cardiac cine reads its phases 40 ms apart, not its 3.2 ms TR', async () => {
    await session.viewer.openScan(join(folder, 'cine'), 'folder');
    const shown = await everyTimePoint(4);
    expect(shown.map((s) => s.seconds)).toEqual(['· 0 ms', '· 40 ms', '· 80 ms', '· 120 ms']);
  });

  it('3. a vector NIfTI’s three components step as t 1/3 … 3/3 with no seconds', async () => {
    await session.viewer.openScan(join(folder, 'vector.nii'), 'file');
    const shown = await everyTimePoint(3);
    expect(shown).toEqual([1, 2, 3].map((t) => ({ readout: `t ${t}/3`, seconds: null, announced: `t ${t}/3` })));
  });
});
