import { seededRandom } from '../../seededRandom.js';
import type { ViewerSession } from '../../e2e/pages/launchViewer.js';
import type { FrameRecord, FrameRecorder, PageGlobal, PageListener, ViewName } from '../../e2e/pages/pageShapes.js';

export type ScrollInput = 'key' | 'wheel';

/** One frame at 60 Hz. */
const framePeriodMs = 1000 / 60;

/**
 * Scrolls `view` by `count` slices, one real input event at a time (ArrowUp
 * or ArrowDown pressed in the view, or the mouse wheel over it), turning at
 * the ends of the volume. For each event the page records when it reached
 * the document and when the view's data-rendered counter next changed, with
 * the renderer's own prepare and draw times for that draw.
 *
 * Each event goes after a pause drawn from 0–16.7 ms (seeded), so events
 * fall at random points of the 60 Hz frame clock as a user's do; sent as soon
 * as the last draw is seen, they would all land at one phase of it.
 */
export async function measureScroll(session: ViewerSession, view: ViewName, input: ScrollInput, count: number): Promise<FrameRecord[]> {
  const { page, viewer } = session;
  const element = page.getByTestId(`viewport-${view}`);
  const box = await page.locator(`[data-testid="viewport-${view}"] canvas`).boundingBox();
  if (!box) throw new Error(`the ${view} view is not on screen`);
  if (input === 'key') await element.focus();
  else await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.evaluate(installFrameRecorder, view);

  const pause = seededRandom(0x5eed + count);
  let state = await viewer.viewport(view);
  let forward = true;
  let direction = 0;
  for (let n = 0; n < count; n++) {
    // The first step tells which way "forward" moves the index; turn before an end.
    const next = state.slice + (forward ? direction : -direction);
    if (direction !== 0 && (next < 0 || next >= state.slices)) forward = !forward;
    await new Promise((resolve) => setTimeout(resolve, pause() * framePeriodMs));
    if (input === 'key') await page.keyboard.press(forward ? 'ArrowUp' : 'ArrowDown');
    else await page.mouse.wheel(0, forward ? -100 : 100);
    await page.waitForFunction((done) => ((globalThis as unknown as PageGlobal).__e2eFrames?.frames.length ?? 0) > done, n);
    const slice = await page.evaluate((at) => (globalThis as unknown as PageGlobal).__e2eFrames!.frames[at]!.slice, n);
    if (direction === 0) direction = slice - state.slice;
    state = { ...state, slice };
  }
  return page.evaluate(() => {
    const recorder = (globalThis as unknown as PageGlobal).__e2eFrames!;
    recorder.stop();
    return recorder.frames;
  });
}

/** Runs in the page: records input events and the view's next draw after each. */
function installFrameRecorder(view: ViewName): void {
  const g = globalThis as unknown as PageGlobal;
  const element = g.document.querySelector(`[data-testid="viewport-${view}"]`);
  const recorder: FrameRecorder = { frames: [], pending: null, stop: () => undefined };
  const onInput: PageListener = (event) => {
    recorder.pending = { input: event.type, inputAt: g.performance.now(), eventStamp: event.timeStamp };
  };
  const observer = new g.MutationObserver(() => {
    const pending = recorder.pending;
    const state = g.__axialViewState?.viewports[view];
    if (!pending || !state) return;
    const renderedAt = g.performance.now();
    recorder.frames.push({ ...pending, renderedAt, slice: state.slice, prepareMs: state.timing.prepareMs, drawMs: state.timing.drawMs });
    recorder.pending = null;
  });
  observer.observe(element, { attributes: true, attributeFilter: ['data-rendered'] });
  g.document.addEventListener('keydown', onInput, true);
  g.document.addEventListener('wheel', onInput, true);
  recorder.stop = () => {
    observer.disconnect();
    g.document.removeEventListener('keydown', onInput, true);
    g.document.removeEventListener('wheel', onInput, true);
  };
  g.__e2eFrames = recorder;
}
