import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasSharedData, noSharedDataReason, sharedData } from '../sharedData.js';
import { canLaunchViewer, cannotLaunchReason, hookTimeoutMs, launchViewer, type ViewerSession } from './pages/launchViewer.js';
import { swiftShaderArgs, View3dPage, type View3dImage } from './pages/View3dPage.js';
import { saveScreenshot } from './support/screenshots.js';
import { isBackground } from './support/view3dPixels.js';

const reason = canLaunchViewer ? noSharedDataReason : cannotLaunchReason;

const ctScan = sharedData('nifti/totalseg/example_ct_sm.nii.gz');
const flairScan = sharedData('nifti/niivue/FLAIR.nii.gz');
const mrScan = sharedData('nifti/totalseg/example_mr_sm.nii.gz');

/** The page as the spec's own scripts see it: the 3D canvas and the WEBGL_lose_context handle the spec keeps there. */
interface LossPage {
  __loseContext?: { loseContext(): void; restoreContext(): void };
  readonly document: {
    querySelector(selector: string): { getContext(kind: 'webgl2'): { getExtension(name: string): LossPage['__loseContext'] | null } | null } | null;
  };
}

/** `promise`, or a rejection naming `what` after `ms`: a frozen page never answers, and the spec should say so rather than hang. */
async function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The share of the canvas's pixels that are not the view's background. */
function litShare(image: View3dImage): number {
  let lit = 0;
  for (let n = 0; n < image.width * image.height; n++) if (!isBackground(image, n)) lit++;
  return lit / (image.width * image.height);
}

describe.skipIf(!hasSharedData || !canLaunchViewer)(`the 3D view when the GPU drops its WebGL context (${reason})`, () => {
  let session: ViewerSession;
  let view3d: View3dPage;

  beforeAll(async () => {
    session = await launchViewer({ extraArgs: swiftShaderArgs, viewport: { width: 1100, height: 700 } });
    view3d = new View3dPage(session.page, session.viewer);
    await session.viewer.openScan(ctScan, 'file');
    await view3d.show('four');
  }, hookTimeoutMs);
  afterAll(async () => {
    await session?.close();
  }, hookTimeoutMs);

  it('1. a lost context: the view says so plainly, and opening another scan neither freezes the page nor builds on the lost context', async () => {
    const { page, viewer } = session;
    expect(litShare(await view3d.image())).toBeGreaterThan(0.01);
    await page.evaluate(() => {
      const g = globalThis as unknown as LossPage;
      g.__loseContext = g.document.querySelector('[data-testid="view3d-canvas"]')!.getContext('webgl2')!.getExtension('WEBGL_lose_context')!;
      g.__loseContext!.loseContext();
    });
    const message = page.getByTestId('view3d-unavailable');
    await message.waitFor({ timeout: 10_000 });
    // Before the fix the lost context read MAX_3D_TEXTURE_SIZE as null, planned blocks of Infinity voxels, and the page never answered again.
    await within(60_000, viewer.openScan(flairScan, 'file'), 'opening FLAIR with the 3D context lost');
    expect(
      await within(
        5_000,
        page.evaluate(() => 1 + 1),
        'the page answering after the open',
      ),
    ).toBe(2);
    await message.waitFor({ timeout: 10_000 });
    const text = await message.innerText();
    console.log(`3D view with its context lost: ${text}`);
    expect(text).toMatch(/^The 3D view is not available: the graphics processor stopped drawing it; it returns on its own/);
    expect(text).not.toMatch(/Error|null|Infinity|\bat \S+:\d+/);
    expect(await page.getByTestId('view3d-loading').count()).toBe(0);
    expect(session.errors).toEqual([]);
  });

  it('2. once the browser restores the context, the view draws the open scan again, with no message', async () => {
    const { page, viewer } = session;
    const before = (await view3d.state()).rendered;
    await page.evaluate(() => (globalThis as unknown as LossPage).__loseContext!.restoreContext());
    await view3d.waitForFrame(before, 'full', 30_000);
    const state = await view3d.settled();
    expect(state.canvas).toEqual(state.css);
    expect(await page.getByTestId('view3d-unavailable').count()).toBe(0);
    const share = litShare(await view3d.image());
    console.log(`FLAIR after the restore: ${(share * 100).toFixed(1)} % of ${state.canvas.width}×${state.canvas.height} pixels lit`);
    expect(share).toBeGreaterThan(0.01);
    await saveScreenshot(viewer, 'view3d-context-restored');
    expect(session.errors).toEqual([]);
  });

  it('3. after the restore the next scan opened is drawn too (not an empty view on the dead context’s textures)', async () => {
    const before = (await view3d.state()).rendered;
    await session.viewer.openScan(mrScan, 'file');
    await view3d.waitForFrame(before, 'full', 30_000);
    await view3d.settled();
    const share = litShare(await view3d.image());
    console.log(`example_mr_sm after the restore: ${(share * 100).toFixed(1)} % lit`);
    expect(share).toBeGreaterThan(0.01);
    expect(await session.page.getByTestId('view3d-unavailable').count()).toBe(0);
    expect(session.errors).toEqual([]);
  });
});
