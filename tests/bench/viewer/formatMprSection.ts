import type { FrameRecord } from '../../e2e/pages/pageShapes.js';
import type { MprCases } from './measureMpr.js';
import { summarise } from './summarise.js';

const ms = (v: number): string => v.toFixed(1);
const inputToDrawn = (f: FrameRecord): number => f.renderedAt - f.inputAt;

/** The markdown section on oblique MPR and slab frame times, each against the plain axial scroll of the same run. */
export function formatMprSection(mpr: MprCases, frameGoalMs: number): string[] {
  const reference = summarise(mpr.reference.frames.map(inputToDrawn));
  const referenceWork = summarise(mpr.reference.frames.map((f) => f.prepareMs + f.drawMs));
  const rows = [mpr.reference, ...mpr.cases].map((c) => {
    const latency = summarise(c.frames.map(inputToDrawn));
    const work = summarise(c.frames.map((f) => f.prepareMs + f.drawMs));
    const prepare = summarise(c.frames.map((f) => f.prepareMs));
    const draw = summarise(c.frames.map((f) => f.drawMs));
    return (
      `| ${c.name} | ${latency.n} | ${ms(latency.median)} | **${ms(latency.p95)}** ` +
      `| ${(latency.p95 / reference.p95).toFixed(2)} | ${ms(work.median)} / ${ms(work.p95)} | ${(work.p95 / referenceWork.p95).toFixed(2)} ` +
      `| ${ms(prepare.p95)} | ${ms(draw.p95)} | ${latency.p95 < frameGoalMs ? 'met' : 'missed'} |`
    );
  });
  return [
    '## Oblique MPR and thick slab',
    '',
    `${mpr.volume}, mask shown, one slice (or one normal step of an oblique plane) per ArrowUp/Down press in the view, timed as above. ` +
      `The reference is the plain axial scroll measured just before, in the same page: the ratios are p95 ÷ the reference's p95. ` +
      `The MIP slab is resampled from its slices every frame (max over them, whole-voxel path); ` +
      `the oblique plane is trilinear every frame, its labels nearest-neighbour.`,
    '',
    `| case | frames | input → drawn median | p95 | p95 ÷ reference ` +
      `| prepare + draw median / p95 | work p95 ÷ reference | prepare p95 | draw p95 | p95 under ${frameGoalMs} ms |`,
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ];
}
