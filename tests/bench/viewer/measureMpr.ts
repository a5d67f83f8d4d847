import type { ViewerSession } from '../../e2e/pages/launchViewer.js';
import type { FrameRecord } from '../../e2e/pages/pageShapes.js';
import { measureScroll } from './measureScroll.js';

/** One MPR timing and the reference it is read against. */
export interface MprCase {
  readonly name: string;
  readonly view: string;
  readonly frames: readonly FrameRecord[];
}

export interface MprCases {
  readonly volume: string;
  /** The plain axial scroll, measured just before the others in the same page: the ratios' reference. */
  readonly reference: MprCase;
  readonly cases: readonly MprCase[];
}

/**
 * On the volume the page has open (with its mask shown): the axial scroll
 * as the reference, then the same scroll with a 20 mm MIP slab in the axial
 * view (the slab moved through the slices), then a scroll of the coronal
 * view after turning the axial crosshair 30° (an oblique plane resampled
 * every frame), each `count` key presses.
 */
export async function measureMpr(session: ViewerSession, volume: string, count: number): Promise<MprCases> {
  const { viewer } = session;
  process.stderr.write('timing the axial reference scroll, a 20 mm MIP slab and an oblique plane…\n');
  await viewer.mpr.activate('axial');
  const reference: MprCase = { name: 'axial, 1 slice (reference)', view: 'axial', frames: await measureScroll(session, 'axial', 'key', count) };
  const spacing = (await viewer.viewport('axial')).plane.normalSpacing;
  // The viewer's rule (slabSampleCount): the odd count of slices nearest 20 mm, centred on the plane.
  const samples = Math.max(1, 2 * Math.round((20 / spacing - 1) / 2) + 1);
  await viewer.mpr.setSlab('axial', 'mip', 20, samples);
  const mip: MprCase = { name: `axial, 20 mm MIP slab (${samples} slices)`, view: 'axial', frames: await measureScroll(session, 'axial', 'key', count) };
  await viewer.mpr.setSlab('axial', 'mip', 0, 1);
  await viewer.mpr.turn('axial', 30);
  const coronal = await viewer.viewport('coronal');
  const oblique: MprCase = {
    name: `coronal turned 30° (oblique, ${coronal.plane.columns}×${coronal.plane.rows} px, trilinear)`,
    view: 'coronal',
    frames: await measureScroll(session, 'coronal', 'key', count),
  };
  await viewer.mpr.reset();
  return { volume, reference, cases: [mip, oblique] };
}
