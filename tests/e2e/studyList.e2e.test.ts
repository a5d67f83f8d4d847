import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debianPython, runPythonJson } from '../python.js';
import { repoRoot } from '../repoRoot.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../sharedData.js';
import { canLaunchViewer, cannotLaunchReason, hookTimeoutMs, launchViewer, type ViewerSession } from './pages/launchViewer.js';
import type { PageGlobal } from './pages/pageShapes.js';
import type { AxialApi } from '../../core/contract.js';
import { saveScreenshot } from './support/screenshots.js';

const reason = canLaunchViewer ? noSharedDataReason : cannotLaunchReason;

/** The real ct-abdomen-j2k series written again with a known patient and study (DOE^JANE^M, CT ABDOMEN), or as an MPRAGE-like MR. */
function studySeries(folder: string, mprage: boolean): string {
  const args = [join(repoRoot, 'tests/fixtures/makeStudySeries.py'), sharedData('dicom/ct-abdomen-j2k'), folder, ...(mprage ? ['--mprage'] : [])];
  execFileSync(debianPython, args, { encoding: 'utf8' });
  return folder;
}

/** numpy's W400/L40 grey of the CT's middle slice at the 96×96 thumbnail's pixel (x, y) (nearest voxel, rounded half up). */
const numpyPixel = `
import sys, os, json, numpy as np, pydicom
folder, x, y = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
ds = [pydicom.dcmread(os.path.join(folder, f)) for f in os.listdir(folder)]
iop = np.array(ds[0].ImageOrientationPatient, float); normal = np.cross(iop[:3], iop[3:])
ds.sort(key=lambda d: float(np.dot(normal, np.array(d.ImagePositionPatient, float))))
mid = ds[len(ds) // 2]
v = float(mid.pixel_array[int((y + 0.5) * mid.Rows / 96), int((x + 0.5) * mid.Columns / 96)]) * float(mid.RescaleSlope) + float(mid.RescaleIntercept)
print(json.dumps(int(min(255, max(0, np.floor((v + 160) / 400 * 255 + 0.5))))))
`;

/** A PNG data URL's size and 8-bit grey pixel at (x, y) (as encodeGrayPng writes: one IDAT, filter 0). */
function pngGrey(dataUrl: string, x: number, y: number): { width: number; height: number; grey: number } {
  const bytes = Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64');
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  const idat = bytes.indexOf('IDAT', 0, 'latin1');
  const rows = inflateSync(bytes.subarray(idat + 4, idat + 4 + bytes.readUInt32BE(idat - 4)));
  return { width, height, grey: rows[y * (width + 1) + 1 + x]! };
}

describe.skipIf(!hasSharedData || !canLaunchViewer)(`the recent study list on the first screen (${reason})`, () => {
  let session: ViewerSession;
  let scratch: string;
  let ct: string;
  let mr: string;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'axial-study-list-e2e-'));
    ct = studySeries(join(scratch, 'abdomen-ct'), false);
    mr = studySeries(join(scratch, 'head-mr'), true);
    session = await launchViewer();
  }, hookTimeoutMs);
  afterAll(async () => {
    await session?.close();
    rmSync(scratch, { recursive: true, force: true });
  }, hookTimeoutMs);

  const rows = () => session.page.getByTestId('recent-study');

  it('1. series opened are listed after a reload, newest first, with patient, date, description, modalities and thumbnails; no UIDs', async () => {
    const { page, viewer } = session;
    expect(await page.getByTestId('recent-studies').count()).toBe(0);
    await viewer.openScan(ct, 'folder');
    await viewer.openScan(mr, 'folder');
    await page.reload();
    await viewer.goto();
    await rows().nth(1).waitFor();
    expect(await rows().count()).toBe(2);
    expect(await page.getByTestId('recent-study-patient').allInnerTexts()).toEqual([
      'DOE, JANE M · AX-0042 · born 1970-02-03',
      'DOE, JANE M · AX-0042 · born 1970-02-03',
    ]);
    expect(await page.getByTestId('recent-study-date').allInnerTexts()).toEqual(['2023-01-15', '2023-01-15']);
    expect(await page.getByTestId('recent-study-description').allInnerTexts()).toEqual(['CT ABDOMEN', 'CT ABDOMEN']);
    const text = await page.getByTestId('recent-studies').innerText();
    expect(text).toContain('3 · t1_mprage_sag_p2_iso');
    expect(text).toContain('3 · Abdomen 3.0');
    expect(text).toMatch(/\bMR\b[\s\S]*\bCT\b/);
    // No UID (2.25… or 1.2.826…) and no 15-digit number reaches the screen.
    expect(text).not.toMatch(/\d+\.\d+\.\d+\.\d+|\d{15}/);

    const thumbnails = page.getByTestId('recent-study-thumbnail');
    expect(await thumbnails.count()).toBe(2);
    const shown = await thumbnails.evaluateAll((list) =>
      list.map((img) => {
        const image = img as unknown as { naturalWidth: number; naturalHeight: number; complete: boolean; alt: string };
        return { width: image.naturalWidth, height: image.naturalHeight, complete: image.complete, alt: image.alt };
      }),
    );
    expect(shown).toEqual([
      { width: 96, height: 96, complete: true, alt: '3 · t1_mprage_sag_p2_iso' },
      { width: 96, height: 96, complete: true, alt: '3 · Abdomen 3.0' },
    ]);
    const ctThumbnail = (await thumbnails.nth(1).getAttribute('src'))!;
    for (const [x, y] of [
      [48, 48],
      [30, 60],
      [70, 40],
      [0, 0],
    ] as const) {
      expect(pngGrey(ctThumbnail, x, y), `CT thumbnail pixel (${x}, ${y})`).toEqual({
        width: 96,
        height: 96,
        grey: runPythonJson<number>(numpyPixel, [ct, String(x), String(y)]),
      });
    }
    await saveScreenshot(viewer, 'first-screen-recent-studies', true);
    expect(session.errors).toEqual([]);
  }, 180_000);

  it('2. the search field filters by series description and patient; a search that finds nothing says so', async () => {
    const { page } = session;
    const search = page.getByTestId('recent-studies-search');
    await search.fill('mprage');
    await page.waitForFunction(
      () => (globalThis as unknown as PageGlobal).document.querySelector('[data-testid="recent-study"] + [data-testid="recent-study"]') === null,
    );
    expect(await rows().count()).toBe(1);
    expect(await rows().first().innerText()).toContain('t1_mprage_sag_p2_iso');
    await search.fill('nobody here');
    await page.getByText('No recent study matches “nobody here”.').waitFor();
    expect(await rows().count()).toBe(0);
    await search.fill('doe');
    await rows().nth(1).waitFor();
    await search.fill('');
    await rows().nth(1).waitFor();
  }, 60_000);

  it('3. Remove from list takes the MR off (kept off after a reload); Open, reached with the keyboard, opens the CT', async () => {
    const { page, viewer } = session;
    await page.getByRole('button', { name: 'Remove from list: DOE, JANE M, 2023-01-15, CT ABDOMEN' }).first().click();
    await page.waitForFunction(
      () => (globalThis as unknown as PageGlobal).document.querySelector('[data-testid="recent-study"] + [data-testid="recent-study"]') === null,
    );
    expect(await page.getByTestId('recent-studies').innerText()).not.toContain('mprage');
    await page.reload();
    await viewer.goto();
    await rows().first().waitFor();
    expect(await rows().count()).toBe(1);
    expect(await rows().first().innerText()).toContain('Abdomen 3.0');

    const open = page.getByTestId('recent-study-open');
    await open.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => {
      const g = globalThis as unknown as PageGlobal;
      return g.__axialViewState?.volumeId && Number(g.document.querySelector('[data-testid="viewport-axial"]')?.getAttribute('data-rendered') ?? 0) > 0;
    });
    expect((await viewer.viewport('axial')).window).toEqual({ center: 40, width: 400 });
    expect(await page.getByTestId('recent-studies').count()).toBe(0);
    expect(session.errors).toEqual([]);
  }, 120_000);

  it('4. the first screen asks for the list again when its window is focused: a list cleared elsewhere (File › Recent › Clear Recent) goes', async () => {
    const { page, viewer } = session;
    await page.reload();
    await viewer.goto();
    await rows().first().waitFor();
    // Clear Recent runs in main, outside this screen: here the list is emptied behind its back.
    await page.evaluate(async () => {
      const api = (globalThis as unknown as { axial: AxialApi }).axial;
      const listed = await api['studies:list']({});
      if (!listed.ok) throw new Error(listed.error.message);
      for (const study of listed.value.studies) await api['studies:remove']({ key: study.key });
    });
    expect(await rows().count()).toBeGreaterThan(0);
    await page.evaluate(() => (globalThis as unknown as { dispatchEvent(event: Event): boolean }).dispatchEvent(new Event('focus')));
    await page.getByTestId('recent-studies').waitFor({ state: 'detached', timeout: 5_000 });
    expect(session.errors).toEqual([]);
  });
});
