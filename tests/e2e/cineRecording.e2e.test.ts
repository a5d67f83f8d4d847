import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_FORMATS, BufferSource, EncodedPacketSink, Input } from 'mediabunny';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canLaunchViewer, cannotLaunchReason, hookTimeoutMs, launchViewer, type ViewerSession } from './pages/launchViewer.js';
import { readWebmSummary } from './support/readWebmSummary.js';

/** A WebM file's video frames as its demuxer (mediabunny, the muxer's own) reads them: timestamps and the movie's length, in seconds. */
interface MovieTiming {
  readonly timestamps: number[];
  readonly durations: number[];
  readonly duration: number;
}

async function readMovieTiming(bytes: Uint8Array): Promise<MovieTiming> {
  const input = new Input({ formats: ALL_FORMATS, source: new BufferSource(bytes) });
  const track = await input.getPrimaryVideoTrack();
  if (!track) throw new Error('the movie has no video track');
  const timestamps: number[] = [];
  const durations: number[] = [];
  for await (const packet of new EncodedPacketSink(track).packets()) {
    timestamps.push(packet.timestamp);
    durations.push(packet.duration);
  }
  return { timestamps, durations, duration: await input.computeDuration() };
}

/**
 * A NIfTI-1 file of int16 voxels on a 1 mm grid, [x, y, z(, t)]: each slice (and time point) a disc of its own
 * radius and brightness, so that frames differ.
 */
function writeDiscs(path: string, dims: readonly number[]): void {
  const [nx, ny, nz, nt = 1] = dims as [number, number, number, number?];
  const header = new DataView(new ArrayBuffer(352));
  header.setInt32(0, 348, true);
  [dims.length, ...dims, 1, 1, 1, 1].slice(0, 8).forEach((d, n) => header.setInt16(40 + 2 * n, d, true));
  header.setInt16(70, 4, true);
  header.setInt16(72, 16, true);
  [1, 1, 1, 1, 1].forEach((p, n) => header.setFloat32(76 + 4 * n, p, true));
  header.setFloat32(108, 352, true);
  header.setFloat32(112, 1, true);
  header.setUint8(123, 10);
  header.setInt16(254, 1, true);
  // sform: srow_x, srow_y, srow_z = the identity (1 mm voxels at the origin).
  for (let row = 0; row < 3; row++) header.setFloat32(280 + 20 * row, 1, true);
  new Uint8Array(header.buffer).set([0x6e, 0x2b, 0x31, 0], 344);
  const voxels = new Int16Array(nx * ny * nz * nt);
  for (let t = 0; t < nt; t++)
    for (let z = 0; z < nz; z++)
      for (let y = 0; y < ny; y++)
        for (let x = 0; x < nx; x++) {
          const r = 3 + ((z * 3 + t * 5) % (nx / 2 - 4));
          voxels[((t * nz + z) * ny + y) * nx + x] = Math.hypot(x - nx / 2, y - ny / 2) < r ? 200 + 100 * t + 10 * z : 0;
        }
  writeFileSync(path, Buffer.concat([new Uint8Array(header.buffer), new Uint8Array(voxels.buffer)]));
}

describe.skipIf(!canLaunchViewer)(`recording cine movies (${canLaunchViewer ? 'Chromium' : cannotLaunchReason})`, () => {
  let session: ViewerSession;
  const scratch = mkdtempSync(join(tmpdir(), 'axial-e2e-cine-rec-'));
  const scan = (name: string, dims: readonly number[]): string => {
    const path = join(scratch, `${name}.nii`);
    if (!existsSync(path)) writeDiscs(path, dims);
    return path;
  };

  /** Records the active view to `<scratch>/<name>.webm` and resolves the saved bytes. */
  const record = async (name: string, fps: number): Promise<Uint8Array> => {
    const { page, viewer } = session;
    const path = join(scratch, name);
    viewer.host.answerNextSave(path);
    await page.getByTestId('cine-fps').fill(String(fps));
    await page.getByTestId('cine-record').click();
    await page
      .getByTestId('status')
      .filter({ hasText: `Saved ${name}.webm` })
      .or(page.getByTestId('error'))
      .first()
      .waitFor({ timeout: 60_000 });
    await viewer.throwOnError();
    return readFileSync(`${path}.webm`);
  };

  beforeAll(async () => {
    session = await launchViewer();
  }, hookTimeoutMs);
  afterAll(async () => {
    await session?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('1. a one-slice volume records one frame lasting 1/fps, in a file its demuxer reads', async () => {
    await session.viewer.openScan(scan('one', [48, 48, 1]), 'file');
    const webm = await record('one-slice', 10);
    expect(readWebmSummary(webm)).toMatchObject({ frames: 1, codec: expect.stringMatching(/^V_VP[89]$/) });
    const timing = await readMovieTiming(webm);
    expect(timing.timestamps).toEqual([0]);
    expect(timing.duration).toBeCloseTo(0.1, 2);
  });

  it('2. recording from slice 0 of 30 at 60 fps keeps all 30 frames, each 1/60 s, the movie 0.5 s long', async () => {
    const { viewer } = session;
    await viewer.openScan(scan('thirty', [48, 48, 30]), 'file');
    await viewer.scrollTo('axial', 0);
    const timing = await readMovieTiming(await record('from-zero', 60));
    expect(timing.timestamps.length).toBe(30);
    timing.timestamps.forEach((t, n) => expect(t).toBeCloseTo(n / 60, 2));
    expect(Math.abs(timing.duration - 30 / 60)).toBeLessThanOrEqual(1 / 60);
  });

  it('3. in Time mode on a 4D series, records its time points (not the slices)', async () => {
    const { page, viewer } = session;
    await viewer.openScan(scan('fourd', [48, 48, 4, 6]), 'file');
    await page.getByTestId('cine-mode').selectOption('time');
    const timing = await readMovieTiming(await record('time-points', 10));
    expect(timing.timestamps.length).toBe(6);
    expect(Math.abs(timing.duration - 0.6)).toBeLessThanOrEqual(0.1);
    await page.getByTestId('cine-mode').selectOption('slices');
  });

  it('4. opening another scan mid-recording stops it at once, says so, and saves nothing', async () => {
    const { page, viewer } = session;
    await viewer.openScan(scan('long', [48, 48, 1500]), 'file');
    const dialogs = viewer.host.dialogs.length;
    await page.getByTestId('cine-fps').fill('2');
    await page.getByTestId('cine-record').click();
    await page.getByTestId('cine-record-cancel').waitFor({ timeout: 10_000 });
    const opened = Date.now();
    await viewer.openScan(scan('one', [48, 48, 1]), 'file');
    await page.getByTestId('status').filter({ hasText: 'Recording stopped because another scan was opened' }).waitFor({ timeout: 5_000 });
    expect(Date.now() - opened).toBeLessThan(5_000);
    await page.getByTestId('cine-record').filter({ hasText: 'Record WebM' }).waitFor({ timeout: 2_000 });
    expect(viewer.host.dialogs.slice(dialogs).filter((d) => d.kind === 'save')).toEqual([]);
  });

  it('5. Cancel stops a recording, saves nothing, and a Play pressed meanwhile does not start cine afterwards', async () => {
    const { page, viewer } = session;
    await viewer.openScan(scan('long', [48, 48, 1500]), 'file');
    const dialogs = viewer.host.dialogs.length;
    await page.getByTestId('cine-fps').fill('2');
    await page.getByTestId('cine-record').click();
    await page.getByTestId('cine-record-cancel').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('cine-play').isDisabled()).toBe(true);
    await page.keyboard.press('c');
    await page.getByTestId('cine-record-cancel').click();
    await page.getByTestId('status').filter({ hasText: 'Recording cancelled' }).waitFor({ timeout: 5_000 });
    expect(viewer.host.dialogs.slice(dialogs).filter((d) => d.kind === 'save')).toEqual([]);
    await page.waitForTimeout(1500);
    expect(await page.getByTestId('cine-play').getAttribute('aria-pressed')).toBe('false');
  });

  it('6. a failed save keeps the movie: a plain message, and Save movie again saves it', async () => {
    const { page, viewer } = session;
    await viewer.openScan(scan('one', [48, 48, 1]), 'file');
    const folder = join(scratch, 'taken');
    mkdirSync(`${folder}.webm`);
    viewer.host.answerNextSave(folder);
    await page.getByTestId('cine-record').click();
    const error = page.getByTestId('error');
    await error.waitFor({ timeout: 30_000 });
    expect(await error.innerText()).toMatch(/could not be saved there.*It is kept/);
    expect(await error.innerText()).not.toMatch(/EISDIR|\.tmp|rename/);
    // Cancelling the Save movie again… dialog only means "not there": the movie stays kept.
    viewer.host.answerNextSave(undefined);
    await page.getByTestId('cine-save-again').click();
    await page.waitForTimeout(500);
    expect(await page.getByTestId('cine-save-again').count()).toBe(1);
    const again = join(scratch, 'again');
    viewer.host.answerNextSave(again);
    await page.getByTestId('cine-save-again').click();
    await page.getByTestId('status').filter({ hasText: 'Saved again.webm' }).waitFor({ timeout: 10_000 });
    expect(readWebmSummary(readFileSync(`${again}.webm`)).frames).toBe(1);
    expect(await page.getByTestId('cine-save-again').count()).toBe(0);
  });

  it('7. cine waits while a brush stroke is held down in the view, and goes on after it', async () => {
    const { page, viewer } = session;
    await viewer.openScan(scan('thirty', [48, 48, 30]), 'file');
    await viewer.editing.addSegment();
    await viewer.editing.chooseTool('brush');
    const box = (await page.locator('[data-testid="viewport-axial"] canvas').boundingBox())!;
    await page.getByTestId('cine-fps').fill('8');
    await page.getByTestId('cine-play').click();
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2);
    await page.mouse.down();
    const slice = (await viewer.viewport('axial')).slice;
    // The stroke itself takes a second (eight cine frames): its length is the point, not a wait for the viewer.
    for (let n = 1; n <= 20; n++) {
      await page.mouse.move(box.x + box.width * (0.4 + n / 100), box.y + box.height / 2);
      await page.waitForTimeout(50);
    }
    expect((await viewer.viewport('axial')).slice).toBe(slice);
    await page.mouse.up();
    await page.locator(`[data-testid="viewport-axial"]:not([data-slice="${slice}"])`).waitFor({ timeout: 5_000 });
    await page.getByTestId('cine-play').click();
    await viewer.editing.chooseTool('navigate');
  });

  it('8. picking another view in a one-view layout mid-recording stops it at once, says so, and saves nothing', async () => {
    const { page, viewer } = session;
    // Test 7's brush stroke is unsaved: the open asks first.
    await viewer.openScan(scan('long', [48, 48, 1500]), 'file', { answer: 'discard' });
    await page.getByTestId('layout-one').click();
    await page.getByTestId('layout-view').selectOption('axial');
    const dialogs = viewer.host.dialogs.length;
    await page.getByTestId('cine-fps').fill('60');
    await page.getByTestId('cine-record').click();
    await page.getByTestId('cine-record-cancel').waitFor({ timeout: 10_000 });
    const switched = Date.now();
    await page.getByTestId('layout-view').selectOption('coronal');
    await page.getByTestId('status').filter({ hasText: 'Recording stopped because the axial view was closed' }).waitFor({ timeout: 5_000 });
    expect(Date.now() - switched).toBeLessThan(5_000);
    await page.getByTestId('cine-record').filter({ hasText: 'Record WebM' }).waitFor({ timeout: 2_000 });
    expect(viewer.host.dialogs.slice(dialogs).filter((d) => d.kind === 'save')).toEqual([]);
  });

  it('9. in Time mode, a time point that fails to load stops the recording with a plain message, and saves nothing', async () => {
    const { page, viewer } = session;
    await page.getByTestId('layout-three').click();
    const file = scan('fourd-gone', [48, 48, 4, 12]);
    await viewer.openScan(file, 'file');
    await page.getByTestId('cine-mode').selectOption('time');
    const dialogs = viewer.host.dialogs.length;
    await page.getByTestId('cine-fps').fill('10');
    await page.getByTestId('cine-record').click();
    await page.getByTestId('cine-record-cancel').waitFor({ timeout: 10_000 });
    writeFileSync(file, 'gone');
    const error = page.getByTestId('error').filter({ hasText: /could not be loaded, so the recording stopped and nothing was saved/ });
    await error.waitFor({ timeout: 30_000 });
    await page.getByTestId('cine-record').filter({ hasText: 'Record WebM' }).waitFor({ timeout: 2_000 });
    expect(viewer.host.dialogs.slice(dialogs).filter((d) => d.kind === 'save')).toEqual([]);
    await page.getByTestId('cine-mode').selectOption('slices');
  });

  it('10. with the 3D view active, Record is off and says why', async () => {
    const { page } = session;
    await page.getByTestId('layout-one').click();
    await page.getByTestId('layout-view').selectOption('3d');
    const button = page.getByTestId('cine-record');
    expect(await button.isDisabled()).toBe(true);
    expect(await button.getAttribute('title')).toMatch(/2D view/);
  });
});
