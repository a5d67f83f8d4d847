import type { FrameRecord } from '../../e2e/pages/pageShapes.js';
import type { BigVolumeCase } from './measureBigVolume.js';
import { summarise } from './summarise.js';

const inputToDrawn = (f: FrameRecord): number => f.renderedAt - f.inputAt;
const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const mib = (v: number): string => `${Math.round(v)} MiB`;

/**
 * The big-volume section: each figure for the big volume beside the same
 * figure for the reference measured in the same run, and their ratio.
 */
export function formatBigVolumeSection(reference: BigVolumeCase, big: BigVolumeCase): string[] {
  const scrollOf = (c: BigVolumeCase) => summarise(c.scroll.map(inputToDrawn));
  const workOf = (c: BigVolumeCase) => summarise(c.scroll.map((f) => f.prepareMs + f.drawMs));
  const row = (name: string, ref: number, value: number, show: (v: number) => string): string =>
    `| ${name} | ${show(ref)} | **${show(value)}** | ${(value / ref).toFixed(1)}× |`;
  const ms = (v: number): string => `${v.toFixed(1)} ms`;
  const grid = (c: BigVolumeCase): string => c.reducedGrid?.replaceAll('x', '×') ?? 'full resolution';
  return [
    '## A big volume: 512×512×2400 CT (1.2 GB, 0.5 mm slices)',
    '',
    `${big.volume} beside ${reference.volume} (the same generator cut to 300 slices), each once in a fresh Chromium (SwiftShader WebGL2) ` +
      'and a fresh test host, in the default 2×2 layout with the 3D view. ' +
      "Open: from the click on Open to the three 2D views drawn (the host's scan, main's decode, the voxels' fetch, the first draws). " +
      "3D view: from then to the 3D view's first settled full frame (the reduction to fit the GPU and the upload). " +
      'Peak memory: the largest VmRSS from /proc, sampled every 100 ms from the launch to the end of the scroll, ' +
      "of this Node process (the test host with main's services, which hold the volume, and Playwright's client), " +
      "of Chromium's renderer process (the page: the voxels it fetched, the 2D views, the 3D view's reduced copy) " +
      "and of Chromium's GPU process (SwiftShader keeps the 3D textures there). " +
      `Scroll: input → drawn (as above) over ${big.scroll.length} ArrowUp/Down presses in the axial view, 3D view shown.`,
    '',
    '| | 512×512×300 | 512×512×2400 | ratio |',
    '|---|---|---|---|',
    row('voxels (MiB, int16)', reference.bytes / 2 ** 20, big.bytes / 2 ** 20, mib),
    row('open → three 2D views drawn', reference.open.allDrawnMs, big.open.allDrawnMs, s),
    row('… of which decode (`volume:load`)', reference.open.loadMs, big.open.loadMs, s),
    row('… of which fetch of the voxels', reference.open.fetchMs, big.open.fetchMs, s),
    row('then → 3D view drawn', reference.view3dAfterOpenMs, big.view3dAfterOpenMs, s),
    `| 3D view's grid | ${grid(reference)} | **${grid(big)}** | |`,
    `| reduction (box filter, page thread in steps): total / longest step | ${reference.reduceMs === null ? '—' : ms(reference.reduceMs)} ` +
      `| **${big.reduceMs === null ? '—' : ms(big.reduceMs)} / ${big.reduceLongestStepMs === null ? '—' : ms(big.reduceLongestStepMs)}** | |`,
    row('peak RSS, host (main services)', reference.memory.host, big.memory.host, mib),
    row('peak RSS, page (renderer process)', reference.memory.page, big.memory.page, mib),
    row('peak RSS, GPU process', reference.memory.gpu, big.memory.gpu, mib),
    row('scroll input → drawn, median', scrollOf(reference).median, scrollOf(big).median, ms),
    row('scroll input → drawn, **p95**', scrollOf(reference).p95, scrollOf(big).p95, ms),
    row('scroll prepare + draw, p95', workOf(reference).p95, workOf(big).p95, ms),
    '',
  ];
}
