import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debianPython, runPythonJson } from '../python.js';
import { repoRoot } from '../repoRoot.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../sharedData.js';
import { canLaunchViewer, cannotLaunchReason, hookTimeoutMs, launchViewer, type ViewerSession } from './pages/launchViewer.js';
import type { ViewportSnapshot } from './pages/pageShapes.js';
import { viewNames, type ViewName } from './pages/pageShapes.js';
import { saveScreenshot } from './support/screenshots.js';

const reason = canLaunchViewer ? noSharedDataReason : cannotLaunchReason;
const corners = ['top-left', 'top-right', 'bottom-left', 'bottom-right'] as const;

/** The generated series' geometry as pydicom reads it: first slice's position, pixel spacing [rows, columns], every slice's z (k order). */
interface SeriesGeometry {
  readonly position: [number, number, number];
  readonly pixelSpacing: [number, number];
  readonly z: number[];
}

function geometryOf(folder: string): SeriesGeometry {
  const script = `
import glob, json, sys
import pydicom
files = sorted(glob.glob(sys.argv[1] + '/*.dcm'))
ds = [pydicom.dcmread(f, stop_before_pixels=True) for f in files]
print(json.dumps({'position': [float(v) for v in ds[0].ImagePositionPatient], 'pixelSpacing': [float(v) for v in ds[0].PixelSpacing],
                  'z': [float(d.ImagePositionPatient[2]) for d in ds]}))
`;
  return runPythonJson(script, [folder]);
}

/** Each corner's lines as shown. */
async function cornerLines(session: ViewerSession, view: ViewName): Promise<Record<(typeof corners)[number], string[]>> {
  const entries = await Promise.all(
    corners.map(async (where) => [where, await session.page.getByTestId(`overlay-${view}-${where}`).locator('div').allInnerTexts()] as const),
  );
  return Object.fromEntries(entries) as Record<(typeof corners)[number], string[]>;
}

/** CSS px per voxel step along the view's screen columns (the in-plane index axis with the largest x component), from the drawn map. */
function zoomOf(snapshot: ViewportSnapshot): number {
  const [row0, row1] = snapshot.cssFromVoxel;
  const axes = [0, 1, 2].filter((a) => a !== snapshot.sliceAxis);
  const column = axes.reduce((best, a) => (Math.abs(row0[a]!) > Math.abs(row0[best]!) ? a : best));
  return Math.hypot(row0[column]!, row1[column]!);
}

/** "−123.5": the overlay's one-decimal mm with a real minus sign. */
function mm(value: number, decimals = 1): string {
  const text = value.toFixed(decimals);
  return Number(text) === 0 ? (0).toFixed(decimals) : text.replace('-', '−');
}

describe.skipIf(!hasSharedData || !canLaunchViewer)(`image overlays and the DICOM first window (${reason})`, () => {
  let session: ViewerSession;
  const folder = mkdtempSync(join(tmpdir(), 'axial-overlays-'));
  const ct = join(folder, 'ct');
  const mprage = join(folder, 'mprage');
  let geometry: SeriesGeometry;

  beforeAll(async () => {
    const script = join(repoRoot, 'tests/fixtures/makeStudySeries.py');
    const source = sharedData('dicom/ct-abdomen-j2k');
    execFileSync(debianPython, [script, source, ct]);
    execFileSync(debianPython, [script, source, mprage, '--mprage']);
    geometry = geometryOf(ct);
    session = await launchViewer();
  }, hookTimeoutMs);
  afterAll(async () => {
    await session?.close();
    rmSync(folder, { recursive: true, force: true });
  }, hookTimeoutMs);

  it('1. each view of a DICOM CT shows patient, study, series, slice, location, thickness, window and zoom in its corners', async () => {
    const { viewer, page } = session;
    await viewer.openScan(ct, 'folder');
    expect(await page.getByTestId('overlays-toggle').getAttribute('aria-pressed')).toBe('true');
    const [x0, y0] = geometry.position;
    const [rowSpacing, columnSpacing] = geometry.pixelSpacing;
    for (const view of viewNames) {
      const state = await viewer.viewport(view);
      const lines = await cornerLines(session, view);
      expect(lines['top-left']).toEqual(['DOE, JANE M', 'ID AX-0042', 'DOB 1970-02-03 (52 y) F']);
      expect(lines['top-right']).toEqual(['2023-01-15 10:15', 'CT ABDOMEN', 'Se 3 · Abdomen 3.0']);
      // Location along the view's normal: superior (LPS z) for axial, anterior (−y) for coronal, the patient's left (x) for sagittal.
      const location = { axial: geometry.z[state.slice]!, coronal: -(y0 + state.slice * rowSpacing), sagittal: x0 + state.slice * columnSpacing }[view];
      const thickness = view === 'axial' ? 'Thk 3.0 mm' : `Thk ${mm(view === 'coronal' ? rowSpacing : columnSpacing, 2)} mm`;
      expect(lines['bottom-left']).toEqual([`Im ${state.slice + 1}/${state.slices}`, `Loc ${mm(location)} mm`, thickness]);
      expect(lines['bottom-right']).toEqual(['W 400 L 40', `Zoom ${Number(zoomOf(state).toFixed(2))}×`]);
    }
    // Another slice: the image number and location follow.
    const moved = await viewer.press('axial', 'ArrowUp');
    const after = await cornerLines(session, 'axial');
    expect(after['bottom-left'].slice(0, 2)).toEqual([`Im ${moved.slice + 1}/${moved.slices}`, `Loc ${mm(geometry.z[moved.slice]!)} mm`]);
    // The file's 15-digit accession number and StudyID, and its UIDs, reach no overlay (the Study panel lists UIDs on purpose).
    const text = (await Promise.all(viewNames.map((view) => page.getByTestId(`overlay-${view}`).innerText()))).join('\n');
    expect(text).not.toMatch(/\d{15,}/);
    expect(text).not.toMatch(/\b\d+(\.\d+){4,}\b/);
    expect(session.errors).toEqual([]);
  });

  it('2. the scale bar is a round length whose width is its mm over the pixel spacing times the zoom, before and after zooming', async () => {
    const { viewer, page } = session;
    const columnSpacing = { axial: geometry.pixelSpacing[1], coronal: geometry.pixelSpacing[1], sagittal: geometry.pixelSpacing[0] };
    const check = async (view: ViewName): Promise<number> => {
      const zoom = zoomOf(await viewer.viewport(view));
      const bar = page.getByTestId(`scalebar-${view}`);
      const barMm = Number(await bar.getAttribute('data-mm'));
      const box = (await bar.boundingBox())!;
      const pane = (await page.getByTestId(`viewport-${view}`).boundingBox())!;
      expect(Math.abs(box.width - (barMm / columnSpacing[view]) * zoom)).toBeLessThan(1);
      // The longest of 1, 2, 5 × 10^n mm that fits 22 % of the pane's width.
      const fits = [1, 2, 5, 10, 20, 50, 100, 200, 500].filter((l) => (l / columnSpacing[view]) * zoom <= pane.width * 0.22);
      expect(barMm).toBe(fits[fits.length - 1]);
      expect(await bar.innerText()).toBe(barMm >= 10 ? `${barMm / 10} cm` : `${barMm} mm`);
      // Centred between the bottom corners, clear of their text.
      const left = (await page.getByTestId(`overlay-${view}-bottom-left`).boundingBox())!;
      const right = (await page.getByTestId(`overlay-${view}-bottom-right`).boundingBox())!;
      expect(box.x).toBeGreaterThan(left.x + left.width);
      expect(box.x + box.width).toBeLessThan(right.x);
      return barMm;
    };
    for (const view of viewNames) await check(view);
    const before = await check('axial');
    for (let n = 0; n < 4; n++) await viewer.press('axial', '+');
    const zoomed = zoomOf(await viewer.viewport('axial'));
    expect((await cornerLines(session, 'axial'))['bottom-right']).toEqual(['W 400 L 40', `Zoom ${Number(zoomed.toFixed(2))}×`]);
    // 1.2^4 = 2.07 times the zoom: the bar's length in mm halves at least once (5 cm -> 2 cm, 2 cm -> 1 cm).
    expect(await check('axial')).toBeLessThan(before);
    await viewer.press('axial', '0');
  });

  it('3. the Overlays toggle hides every corner and scale bar, and shows them again', async () => {
    const { viewer, page } = session;
    const toggle = page.getByTestId('overlays-toggle');
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    for (const view of viewNames) {
      expect(await page.getByTestId(`overlay-${view}`).count()).toBe(0);
      expect(await page.getByTestId(`scalebar-${view}`).count()).toBe(0);
    }
    // Orientation letters stay.
    expect((await viewer.markers('axial')).left).toBe('R');
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    for (const view of viewNames) expect((await cornerLines(session, view))['top-left'][0]).toBe('DOE, JANE M');
    await saveScreenshot(viewer, 'overlays-ct-2x2');
  });

  it('4. in a small window every corner line fits its pane (cut with …), and the corners stay apart', async () => {
    const { page } = session;
    await page.setViewportSize({ width: 760, height: 520 });
    try {
      for (const view of viewNames) {
        // The views redraw after the resize: wait for the corner to follow the smaller pane.
        await expect
          .poll(async () => {
            const pane = (await page.getByTestId(`viewport-${view}`).boundingBox())!;
            const corner = (await page.getByTestId(`overlay-${view}-top-left`).boundingBox())!;
            return corner.width <= pane.width * 0.38 + 1;
          })
          .toBe(true);
        const pane = (await page.getByTestId(`viewport-${view}`).boundingBox())!;
        const boxes = await Promise.all(corners.map(async (where) => (await page.getByTestId(`overlay-${view}-${where}`).boundingBox())!));
        const [topLeft, topRight, bottomLeft, bottomRight] = boxes as [typeof pane, typeof pane, typeof pane, typeof pane];
        expect(topLeft.x + topLeft.width).toBeLessThan(topRight.x);
        expect(bottomLeft.x + bottomLeft.width).toBeLessThan(bottomRight.x);
        expect(topLeft.y + topLeft.height).toBeLessThan(bottomLeft.y);
        for (const box of boxes) expect(box.height).toBeLessThanOrEqual(pane.height * 0.3 + 1);
        // No line is clipped by the browser: the text that shows is all there is (cut by fitOverlay with …).
        const clipped = await page
          .getByTestId(`overlay-${view}`)
          .locator('.overlay-corner > div')
          .evaluateAll((lines) => lines.filter((l) => l.scrollWidth > l.clientWidth + 1).map((l) => l.textContent));
        expect(clipped).toEqual([]);
      }
      const topLeft = await cornerLines(session, 'axial');
      expect(topLeft['top-left'][0]).toMatch(/^DOE, JANE/);
      expect(topLeft['top-left'].some((l) => l.endsWith('…')) || topLeft['top-right'].some((l) => l.endsWith('…'))).toBe(true);
      await saveScreenshot(session.viewer, 'overlays-small-window');
    } finally {
      await page.setViewportSize({ width: 1400, height: 900 });
    }
  });

  it("5. an MPRAGE-like series opens with its middle slices' window, W 1168 L 606, not the first slice's W 502 L 210", async () => {
    const { viewer, page } = session;
    await viewer.openScan(mprage, 'folder');
    for (const view of viewNames) {
      expect((await viewer.viewport(view)).window).toEqual({ center: 606, width: 1168 });
      expect((await cornerLines(session, view))['bottom-right'][0]).toBe('W 1168 L 606');
    }
    expect(await page.getByTestId('window').innerText()).toBe('W 1168 / L 606');
    await saveScreenshot(viewer, 'overlays-mprage-like');
    expect(session.errors).toEqual([]);
  });

  it('6. a NIfTI shows what it has: its file name as the description, no patient lines', async () => {
    const { viewer } = session;
    await viewer.openScan(sharedData('nifti/totalseg/example_ct_sm.nii.gz'), 'file');
    const lines = await cornerLines(session, 'axial');
    expect(lines['top-left']).toEqual([]);
    expect(lines['top-right']).toEqual(['example_ct_sm.nii.gz']);
    expect(lines['bottom-left'][0]).toMatch(/^Im \d+\/30$/);
    expect(lines['bottom-right'][0]).toBe('W 400 L 40');
    expect(session.errors).toEqual([]);
  });

  it('7. overlays turned off stay off for the session: after a reload the next scan opens without them', async () => {
    const { viewer, page } = session;
    await page.getByTestId('overlays-toggle').click();
    await viewer.goto();
    await viewer.openScan(ct, 'folder');
    expect(await page.getByTestId('overlays-toggle').getAttribute('aria-pressed')).toBe('false');
    for (const view of viewNames) expect(await page.getByTestId(`overlay-${view}`).count()).toBe(0);
    await page.getByTestId('overlays-toggle').click();
    expect((await cornerLines(session, 'axial'))['top-left'][0]).toBe('DOE, JANE M');
  });
});
