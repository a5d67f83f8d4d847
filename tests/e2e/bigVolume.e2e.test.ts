import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasSharedData, noSharedDataReason } from '../sharedData.js';
import { canLaunchViewer, cannotLaunchReason, launchViewer, type ViewerSession } from './pages/launchViewer.js';
import { swiftShaderArgs, View3dPage, type View3dState } from './pages/View3dPage.js';
import { saveScreenshot } from './support/screenshots.js';
import { isBackground } from './support/view3dPixels.js';

const reason = canLaunchViewer ? noSharedDataReason : cannotLaunchReason;
/** Generous: the open took 26 s through the test host when the issue was filed; this only catches a hang. */
const openBoundMs = 300_000;
const hookMs = 600_000;
const dims = [512, 512, 2400] as const;

/** The 3D view's reduction as the stage publishes it, and its note. */
interface Reduction {
  readonly reduced: string | null;
  readonly reduceMs: number;
  readonly longestStepMs: number;
  readonly note: string | null;
  readonly refusal: string | null;
  /** What this Chromium's WebGL2 offers: MAX_3D_TEXTURE_SIZE and float linear filtering (R32F textures). */
  readonly maxSide: number;
  readonly floatLinear: boolean;
}

describe.skipIf(!hasSharedData || !canLaunchViewer)(`a 512×512×2400 CT (1.2 GB, 0.5 mm slices) through the test host (${reason})`, () => {
  let session: ViewerSession;
  let view3d: View3dPage;
  let path: string;
  let openMs: number;

  beforeAll(async () => {
    // Cached under /tmp/axial-bench/big-ct between runs: ~20 s to build once.
    path = execFileSync('/usr/bin/python3', ['tests/fixtures/makeBigCt.py'], { encoding: 'utf8' }).trim();
    session = await launchViewer({ extraArgs: swiftShaderArgs });
    view3d = new View3dPage(session.page, session.viewer);
    const start = performance.now();
    await session.viewer.openScan(path, 'file');
    openMs = performance.now() - start;
    console.log(`opened ${path} in ${(openMs / 1000).toFixed(1)} s`);
  }, hookMs);
  afterAll(async () => {
    await session?.close();
  }, hookMs);

  it('1. opens within the bound and the 2D views show every slice at full resolution', async () => {
    expect(openMs).toBeLessThan(openBoundMs);
    const axial = await session.viewer.viewport('axial');
    expect(axial.slices).toBe(dims[2]);
    expect([axial.plane.columns, axial.plane.rows].sort()).toEqual([512, 512]);
    const sagittal = await session.viewer.viewport('sagittal');
    expect(sagittal.slices).toBe(dims[0]);
    expect([sagittal.plane.columns, sagittal.plane.rows].sort((a, b) => a - b)).toEqual([512, 2400]);
    expect(session.errors).toEqual([]);
  });

  it("2. the 3D view draws the volume reduced to fit this GPU's limits, says so, and does not refuse", async () => {
    const state = await view3d.show('four');
    const seen = await reductionOf(session);
    console.log(
      `SwiftShader WebGL2: MAX_3D_TEXTURE_SIZE ${seen.maxSide}, float linear ${seen.floatLinear}`,
      `3D grid ${seen.reduced}, reduced in ${seen.reduceMs} ms, longest step ${seen.longestStepMs} ms`,
    );
    expect(seen.refusal).toBeNull();
    // A grid of whole blocks that fits this GPU's limit (each side) and the 512 MiB budget (R32F: 4 B a voxel, else R16F: 2 B).
    const reduced = (seen.reduced ?? '').split('x').map(Number);
    expect(reduced).toHaveLength(3);
    const factors = reduced.map((n, a) => Math.round(dims[a]! / n));
    reduced.forEach((n, a) => {
      expect(n).toBeLessThanOrEqual(seen.maxSide);
      expect(n).toBe(Math.floor(dims[a]! / factors[a]!));
    });
    expect(reduced.reduce((p, n) => p * n, 1) * (seen.floatLinear ? 4 : 2)).toBeLessThanOrEqual(512 * 2 ** 20);
    // SwiftShader as the issue saw it (2048 per side, R32F): every axis halved, the example's 256×256×1200.
    if (seen.maxSide === 2048 && seen.floatLinear) expect(reduced).toEqual([256, 256, 1200]);
    const [ri, rj, rk] = reduced;
    expect(seen.note).toMatch(new RegExp(`^3D shown at .+ resolution \\(${ri}×${rj}×${rk}\\) to fit this GPU; 2D views are full resolution$`));
    // Reduced in steps, each short enough for the page to answer between them (a bound that catches one long blocking loop).
    expect(seen.longestStepMs).toBeGreaterThan(0);
    expect(seen.longestStepMs).toBeLessThan(2_000);
    expect(seen.reduceMs).toBeGreaterThan(seen.longestStepMs);
    await expectBoneAlongTheVolume(view3d, state);
    expect(session.errors).toEqual([]);
  });

  it('3. screenshot of the 2×2 layout with the 3D view', async () => {
    const shot = await saveScreenshot(session.viewer, 'big-ct-2x2');
    console.log(`screenshot ${shot}`);
  });
});

/** Just what the spec reads of the page (the e2e side has no DOM types). */
interface ProbePage {
  readonly document: {
    querySelector(selector: string): { readonly textContent: string | null; readonly dataset: Record<string, string | undefined> } | null;
    createElement(tag: 'canvas'): { getContext(kind: 'webgl2'): ProbeGl | null };
  };
}
interface ProbeGl {
  readonly MAX_3D_TEXTURE_SIZE: number;
  getParameter(name: number): unknown;
  getExtension(name: string): { loseContext?: () => void } | null;
}

async function reductionOf(session: ViewerSession): Promise<Reduction> {
  return session.page.evaluate(() => {
    const doc = (globalThis as unknown as ProbePage).document;
    const stage = doc.querySelector('[data-testid="viewport-3d"]')!;
    const gl = doc.createElement('canvas').getContext('webgl2')!;
    const probe = {
      maxSide: gl.getParameter(gl.MAX_3D_TEXTURE_SIZE) as number,
      floatLinear: gl.getExtension('OES_texture_float_linear') !== null,
    };
    gl.getExtension('WEBGL_lose_context')?.loseContext?.();
    return {
      ...probe,
      reduced: stage.dataset['reduced'] ?? null,
      reduceMs: Number(stage.dataset['reduceMs']),
      longestStepMs: Number(stage.dataset['reduceLongestStepMs']),
      note: doc.querySelector('[data-testid="view3d-reduced"]')?.textContent ?? null,
      refusal: doc.querySelector('[data-testid="view3d-unavailable"]')?.textContent ?? null,
    };
  });
}

/**
 * From the front with the bone preset, the spine runs the whole length of the
 * sweep: drawn pixels lie inside the projection of the volume's box (by the
 * published map, in source indices) and cover most of its height.
 */
async function expectBoneAlongTheVolume(view3d: View3dPage, state: View3dState): Promise<void> {
  const image = await view3d.image();
  const [c, r] = state.screenFromIndex as [number[], number[]];
  const rows: number[] = [];
  for (const i of [-0.5, dims[0] - 0.5])
    for (const j of [-0.5, dims[1] - 0.5]) for (const k of [-0.5, dims[2] - 0.5]) rows.push(r[0]! * i + r[1]! * j + r[2]! * k + r[3]!);
  const cols: number[] = [];
  for (const i of [-0.5, dims[0] - 0.5])
    for (const j of [-0.5, dims[1] - 0.5]) for (const k of [-0.5, dims[2] - 0.5]) cols.push(c[0]! * i + c[1]! * j + c[2]! * k + c[3]!);
  const box = { top: Math.min(...rows), bottom: Math.max(...rows), left: Math.min(...cols), right: Math.max(...cols) };
  let drawn = 0;
  let outside = 0;
  let first = Infinity;
  let last = -Infinity;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (isBackground(image, y * image.width + x)) continue;
      drawn++;
      if (x < box.left - 1 || x > box.right + 1 || y < box.top - 1 || y > box.bottom + 1) outside++;
      first = Math.min(first, y);
      last = Math.max(last, y);
    }
  }
  console.log(
    `3D image ${image.width}×${image.height}: ${drawn} pixels drawn, rows ${first}–${last} of the box's ${box.top.toFixed(0)}–${box.bottom.toFixed(0)}`,
  );
  expect(drawn).toBeGreaterThan(0.01 * image.width * image.height);
  expect(outside).toBe(0);
  expect((last - first) / (box.bottom - box.top)).toBeGreaterThan(0.9);
}
