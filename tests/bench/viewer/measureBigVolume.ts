import { performance } from 'node:perf_hooks';
import { launchViewer } from '../../e2e/pages/launchViewer.js';
import type { FrameRecord } from '../../e2e/pages/pageShapes.js';
import { swiftShaderArgs, View3dPage } from '../../e2e/pages/View3dPage.js';
import { measureOpen, type OpenTiming } from './measureOpen.js';
import { measureScroll } from './measureScroll.js';
import { sampleProcessMemory, type MemoryPeaks } from './sampleProcessMemory.js';

/** One volume through the whole viewer (2×2 with the 3D view, SwiftShader), in a Chromium and test host of its own. */
export interface BigVolumeCase {
  readonly volume: string;
  readonly bytes: number;
  readonly open: OpenTiming;
  /** From the three 2D views drawn to the 3D view's first settled full frame, ms (reduction and upload included). */
  readonly view3dAfterOpenMs: number;
  /** The 3D view's grid ("256x256x1200"), or null at full resolution. */
  readonly reducedGrid: string | null;
  readonly reduceMs: number | null;
  readonly reduceLongestStepMs: number | null;
  readonly memory: MemoryPeaks;
  /** ArrowUp/Down through the axial view, 3D view shown. */
  readonly scroll: readonly FrameRecord[];
}

/**
 * Opens `path` (a NIfTI file) once in a fresh Chromium with SwiftShader and
 * a fresh test host, waits for the 3D view, scrolls `frames` axial slices,
 * and keeps the peak resident memory of the host and of the page over it all.
 */
export async function measureBigVolume(path: string, volume: string, bytes: number, frames: number): Promise<BigVolumeCase> {
  const memory = sampleProcessMemory();
  let peaks: MemoryPeaks | null = null;
  const session = await launchViewer({ extraArgs: swiftShaderArgs });
  try {
    const [open] = await measureOpen(session, path, 'file', 1);
    const start = performance.now();
    const view3d = new View3dPage(session.page, session.viewer);
    await view3d.show('four');
    const view3dAfterOpenMs = performance.now() - start;
    const stage = await session.page
      .getByTestId('viewport-3d')
      .evaluate((element: { dataset: Record<string, string | undefined> }) => ({ ...element.dataset }));
    const scroll = await measureScroll(session, 'axial', 'key', frames);
    peaks = memory.stop();
    return {
      volume,
      bytes,
      open: open!,
      view3dAfterOpenMs,
      reducedGrid: stage['reduced'] ?? null,
      reduceMs: stage['reduceMs'] === undefined ? null : Number(stage['reduceMs']),
      reduceLongestStepMs: stage['reduceLongestStepMs'] === undefined ? null : Number(stage['reduceLongestStepMs']),
      memory: peaks,
      scroll,
    };
  } finally {
    if (!peaks) memory.stop();
    await session.close();
  }
}
