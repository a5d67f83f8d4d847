import type { SegmentDef } from '../contract.js';
import type { LabelArray } from '../labels/LabelArray.js';
import { BLOCKED, type SeedMap } from './growFromSeedsTypes.js';
import type { SegmentKey } from '../labels/segmentKey.js';

/** The seed map a grow starts from, and which segment each seed class stands for. */
export interface GrowSeeds {
  readonly seeds: SeedMap;
  /** classes[c - 1] is the segment of seed class c. */
  readonly classes: readonly SegmentKey[];
}

/** Seed classes are 1…254 (255 is BLOCKED). */
const MAX_CLASSES = BLOCKED - 1;

/**
 * Every unlocked segment's voxels become seeds of a class of their own (the
 * way Slicer grows all the segments it shows); locked segments' voxels are
 * BLOCKED, kept and never grown through. Later layers win where layers
 * overlap, as they are drawn. Segments past the 254th stay out.
 */
export function growFromSeedsSeedMap(layers: readonly LabelArray[], segments: readonly SegmentDef[]): GrowSeeds {
  const seeds = new Uint8Array(layers[0]!.length);
  const classes: SegmentKey[] = [];
  layers.forEach((labels, layer) => {
    const lookup = new Uint8Array(labels instanceof Uint8Array ? 256 : 65536);
    for (const s of segments) {
      if (s.layer !== layer) continue;
      if (s.locked) lookup[s.value] = BLOCKED;
      else if (classes.length < MAX_CLASSES) lookup[s.value] = classes.push({ layer, value: s.value });
    }
    for (let n = 0; n < labels.length; n++) {
      const c = lookup[labels[n]!]!;
      if (c !== 0) seeds[n] = c;
    }
  });
  return { seeds, classes };
}
