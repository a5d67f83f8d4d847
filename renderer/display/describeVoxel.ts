import type { LabelArray } from '../../core/labels/LabelArray.js';
import { indexToWorld } from '../../core/geometry/indexToWorld.js';
import type { Vec3 } from '../../core/geometry/types.js';
import type { SegmentDef } from '../../core/contract.js';
import type { LoadedVolume } from '../data/LoadedVolume.js';

/** The label layers and segment table the readout names segments from. */
export interface ReadoutLabels {
  readonly layers: readonly LabelArray[];
  readonly segments: readonly SegmentDef[];
}

/** What the readout shows for one voxel. */
export interface VoxelReadout {
  readonly index: Vec3;
  /** LPS position of the voxel centre, mm. */
  readonly world: Vec3;
  readonly value: number;
  /** The value with its unit, e.g. "-12 HU". */
  readonly valueText: string;
  /** Label value there in the first layer that has one (0 when none), and the names of every segment there ('' for background). */
  readonly label: number;
  readonly segment: string;
}

/** Reads a voxel's position, value and segment. Indices outside the volume give null. */
export function describeVoxel(volume: LoadedVolume, labels: ReadoutLabels | null, index: Vec3): VoxelReadout | null {
  const [ni, nj, nk] = volume.header.dimensions;
  const [i, j, k] = index;
  if (i < 0 || j < 0 || k < 0 || i >= ni || j >= nj || k >= nk) return null;
  const offset = i + ni * (j + nj * k);
  const value = volume.voxels[offset]!;
  const values = labels ? labels.layers.map((layer) => layer[offset]!) : [];
  const label = values.find((v) => v !== 0) ?? 0;
  const names = values.flatMap((v, layer) => (v === 0 ? [] : [labels!.segments.find((s) => s.layer === layer && s.value === v)?.name ?? `label ${v}`]));
  const segment = names.join(', ');
  const units = volume.header.units;
  return {
    index,
    world: indexToWorld(volume.header, index),
    value,
    valueText: units ? `${formatValue(value)} ${units}` : formatValue(value),
    label,
    segment,
  };
}

/** Integers as they are; other values to two decimals (exponent form when very large or small). */
export function formatValue(value: number): string {
  // A float file's marks for "no value", in words a reader knows rather than JavaScript's.
  if (Number.isNaN(value)) return 'no value';
  if (!Number.isFinite(value)) return value > 0 ? '+∞' : '−∞';
  const size = Math.abs(value);
  // Integers exactly (an atlas's label 614454277 must not read as its neighbour's), up to where digits stop meaning
  // anything (a float file's 1e30 is an integer too); other values from a million up in four significant figures.
  if (Number.isInteger(value) && size < 1e15) return String(value);
  return size >= 1e6 || (size !== 0 && size < 1e-2) ? value.toExponential(3) : value.toFixed(2);
}

/** World position as "x, y, z" in mm to one decimal. */
export function formatWorld(world: Vec3): string {
  return world.map((v) => (Object.is(Math.round(v * 10) / 10, -0) ? 0 : v).toFixed(1)).join(', ');
}
