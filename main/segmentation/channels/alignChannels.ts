import type { VolumeGeometry } from '../../../core/geometry/types.js';
import { sameGrid } from '../../../core/geometry/sameGrid.js';
import { indexToWorld } from '../../../core/geometry/indexToWorld.js';
import { AxialError } from '../../errors/AxialError.js';
import type { Volume } from '../../volume/Volume.js';
import { resampleOntoGrid } from './resampleOntoGrid.js';

/** One input image of a model of several: the channel's name (the bundle's channel_def), its volume and where it came from. */
export interface ChannelImage {
  readonly name: string;
  readonly volume: Volume;
  /** The file or folder it was read from, for messages. */
  readonly source: string;
}

/** A multi-sequence model's input images on one grid, the first channel's, ready to stack as MONAI's [C, i, j, k]. */
export interface AlignedChannels {
  /** The channels after the first, in order: their values on the first channel's grid, float32, i fastest. */
  readonly others: readonly Float32Array[];
  /** One line per channel that was resampled, naming its grid and the first's, and one per channel that covers only part of the first's field of view. */
  readonly warnings: readonly string[];
}

/** The LPS bounding box of a grid's field of view (voxel extents, half a voxel past the outer centres). */
function worldBox(grid: VolumeGeometry): { low: number[]; high: number[] } {
  const low = [Infinity, Infinity, Infinity];
  const high = [-Infinity, -Infinity, -Infinity];
  for (const i of [-0.5, grid.dimensions[0] - 0.5]) {
    for (const j of [-0.5, grid.dimensions[1] - 0.5]) {
      for (const k of [-0.5, grid.dimensions[2] - 0.5]) {
        const p = indexToWorld(grid, [i, j, k]);
        for (let a = 0; a < 3; a++) {
          low[a] = Math.min(low[a]!, p[a]!);
          high[a] = Math.max(high[a]!, p[a]!);
        }
      }
    }
  }
  return { low, high };
}

function overlaps(a: VolumeGeometry, b: VolumeGeometry): boolean {
  const [x, y] = [worldBox(a), worldBox(b)];
  return [0, 1, 2].every((axis) => x.low[axis]! < y.high[axis]! && y.low[axis]! < x.high[axis]!);
}

const describeGrid = (v: VolumeGeometry): string =>
  `${v.dimensions.join('×')} voxels of ${v.spacing.map((s) => Number(s.toFixed(3))).join('×')} mm at (${v.origin.map((o) => o.toFixed(1)).join(', ')})`;

/**
 * Puts a multi-sequence model's input images on the first one's grid, as MONAI's LoadImaged stacks channels of
 * one grid: an image on the same grid is taken as it is; one on another grid (spacing, orientation, field of
 * view) is resampled trilinearly (see resampleOntoGrid) with a warning naming both grids. They must show the
 * same patient (where both name one), share a frame of reference (where both have one: DICOM), and hold some of
 * the first's voxel centres in their field of view; one that holds only some is warned of with its share.
 * @throws AxialError SEGMENTATION_GRID_MISMATCH naming both sources when the patients differ, the frames of
 *   reference differ, or the fields of view do not overlap (no voxel centre of the first inside the other).
 */
export function alignChannels(channels: readonly ChannelImage[]): AlignedChannels {
  const [first, ...others] = channels;
  if (first === undefined) throw new AxialError('SEGMENTATION_GRID_MISMATCH', 'no input image was given');
  const warnings: string[] = [];
  const data: Float32Array[] = [];
  for (const other of others) {
    assertSameSubject(first, other);
    if (sameGrid(first.volume, other.volume)) {
      data.push(Float32Array.from(other.volume.voxels));
      continue;
    }
    const { values, inside } = resampleOntoGrid(other.volume, first.volume);
    const total = values.length;
    // World boxes of oblique grids can meet where no voxel does: the voxel centres decide.
    if (inside === 0) {
      throw new AxialError(
        'SEGMENTATION_GRID_MISMATCH',
        `${first.name} (${first.source}) and ${other.name} (${other.source}) do not overlap in space: ${other.name}'s field of view holds none of ` +
          `${first.name}'s voxels (${describeGrid(other.volume)} against ${describeGrid(first.volume)})`,
        { file: other.source },
      );
    }
    warnings.push(
      `${other.name} (${other.source}) is on another grid than ${first.name}: ${describeGrid(other.volume)} against ${describeGrid(first.volume)}; ` +
        `resampled trilinearly onto ${first.name}'s grid`,
    );
    if (inside < total) {
      const percent = (100 * inside) / total;
      warnings.push(`${other.name} covers ${percent < 1 ? 'under 1' : Math.floor(percent)} % of ${first.name}'s field of view; its values are 0 in the rest`);
    }
    data.push(values);
  }
  return { others: data, warnings };
}

function assertSameSubject(first: ChannelImage, other: ChannelImage): void {
  const what = `${first.name} (${first.source}) and ${other.name} (${other.source})`;
  const [a, b] = [first.volume.metadata, other.volume.metadata];
  if (a.patientId && b.patientId && a.patientId !== b.patientId) {
    throw new AxialError('SEGMENTATION_GRID_MISMATCH', `${what} are of different patients; every input image must show the same scan session`, {
      file: other.source,
    });
  }
  if (a.frameOfReferenceUid && b.frameOfReferenceUid && a.frameOfReferenceUid !== b.frameOfReferenceUid) {
    throw new AxialError('SEGMENTATION_GRID_MISMATCH', `${what} have different frames of reference, so their positions cannot be matched`, {
      file: other.source,
    });
  }
  if (!overlaps(first.volume, other.volume)) {
    throw new AxialError('SEGMENTATION_GRID_MISMATCH', `${what} do not overlap in space: ${describeGrid(other.volume)} against ${describeGrid(first.volume)}`, {
      file: other.source,
    });
  }
}
