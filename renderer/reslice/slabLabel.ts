import { slabSampleCount, type SlabMode } from './reslicePlane.js';

/** A slab as asked for: its projection and thickness in mm (0: the plane alone). */
export interface SlabRequest {
  readonly mode: SlabMode;
  readonly thicknessMm: number;
}

/** What a slab covers, and how a view says so. */
export interface SlabLabel {
  /** The projection's name: 'MIP', 'MinIP' or 'Mean'. */
  readonly name: string;
  /** Samples across the slab, an odd count centred on the plane (1: the plane alone). */
  readonly samples: number;
  /** What the samples cover: samples × the spacing between slices, mm (one spacing for the plane alone). */
  readonly thicknessMm: number;
  /**
   * For the view's title: "MIP 6.0 mm (3 slices)", the thickness really projected; or, when the asked
   * thickness gives one slice, why there is no slab ("no MIP: 1 mm is thinner than one slice (2.0 mm)");
   * null when no slab is asked for.
   */
  readonly text: string | null;
}

const names: Record<SlabMode, string> = { mip: 'MIP', minip: 'MinIP', mean: 'Mean' };

/**
 * The slab a view draws for a request, at `normalSpacing` mm between its slices (the plane's, across them: slabSampleCount):
 * the label gives the thickness covered, not the one typed, since odd counts of whole slices seldom
 * make the typed thickness exactly.
 */
export function slabLabel(request: SlabRequest, normalSpacing: number): SlabLabel {
  const asked = request.thicknessMm;
  const samples = asked > 0 ? slabSampleCount(asked, normalSpacing) : 1;
  const thicknessMm = samples * normalSpacing;
  const name = names[request.mode];
  if (!(asked > 0)) return { name, samples, thicknessMm, text: null };
  if (samples > 1) return { name, samples, thicknessMm, text: `${name} ${mm(thicknessMm)} mm (${samples} slices)` };
  // Within rounding, one slice's thickness is not thinner than one slice.
  const why =
    asked < normalSpacing * (1 - 1e-6)
      ? `is thinner than one slice (${mm(normalSpacing)} mm)`
      : `is nearer one slice (${mm(normalSpacing)} mm) than three (${mm(3 * normalSpacing)} mm)`;
  return { name, samples, thicknessMm, text: `no ${name}: ${asked} mm ${why}` };
}

/** One decimal, two under 1 mm (0.98 mm pixels). */
function mm(value: number): string {
  return value.toFixed(value < 1 ? 2 : 1);
}
