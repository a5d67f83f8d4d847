import type { View3dBench } from './measureView3d.js';
import { summarise } from './summarise.js';

const ms = (v: number): string => v.toFixed(1);

/** The markdown section on the 3D view: frame times at full and reduced quality, each against references from the same page. */
export function formatView3dSection(bench: View3dBench): string[] {
  const slice = summarise(bench.slices.map((f) => f.prepareMs + f.drawMs));
  const { width, height } = bench.canvas;
  const row = (name: string, size: string, frames: readonly number[], read: readonly number[]): string => {
    const f = summarise(frames);
    const r = summarise(read);
    return (
      `| ${name} | ${size} | ${f.n} | **${ms(f.median)}** | **${ms(f.p95)}** | ${ms(f.max)} ` +
      `| ${ms(r.median)} / ${ms(r.p95)} | ${(f.median / r.median).toFixed(0)} / ${(f.p95 / r.p95).toFixed(0)} ` +
      `| ${(f.median / slice.median).toFixed(1)} / ${(f.p95 / slice.p95).toFixed(1)} |`
    );
  };
  return [
    '## 3D view (ray casting)',
    '',
    `${bench.volume}, bone preset, seen from the front and turned ${(360 / bench.full.length).toFixed(0)}° ` +
      `about the vertical between frames, in the four-view layout. ` +
      `WebGL2 on ${bench.glRenderer} (Chromium's software rasteriser on the CPU, started with \`--enable-unsafe-swiftshader\`), ` +
      `volume texture ${bench.textureFormat?.toUpperCase() ?? '?'}, empty-space skipping in 8³ blocks. ` +
      `Each frame is drawn and waited for in the page (draw call, then a 1-pixel \`readPixels\` that blocks until the GPU is done). ` +
      `Full quality: one ray per canvas pixel, one sample per smallest voxel spacing; ` +
      `reduced (while the user drags): twice the step, ` +
      `on a canvas sized from the last full frame's cost to aim at 60 ms ` +
      `(\`reducedResolution\` in renderer/volume3d/renderQuality.ts: between a fifth and half of the full canvas each way). ` +
      `References from the same page: \`readPixels\` of the whole canvas at that size, ` +
      `and the axial 2D view's own work per slice (prepare + draw, ${slice.n} ArrowUp/Down presses, median ${ms(slice.median)} / p95 ${ms(slice.p95)} ms). ` +
      `Ratios are median / p95. ` +
      `The 3D view was ready ${ms(bench.readyMs)} ms after the click on Four views (the volume converted and sent to the GPU, and its first frame).`,
    '',
    '| quality | canvas | frames | median | p95 | max | readPixels median / p95 | × readPixels | × 2D slice |',
    '|---|---|---|---|---|---|---|---|---|',
    row('full', `${width}×${height}`, bench.full, bench.readFull),
    row('reduced', `${bench.reducedCanvas.width}×${bench.reducedCanvas.height}`, bench.reduced, bench.readReduced),
    '',
  ];
}
