import type { Vec3 } from '../../core/geometry/types.js';
import type { CommandContext } from './CommandContext.js';
import { findSegment } from './findSegment.js';
import { forEachBrushVoxel } from './forEachBrushVoxel.js';
import { interpolateCentres } from './interpolateCentres.js';
import { lockedValues } from './lockedValues.js';
import { SegmentationError } from './SegmentationError.js';
import type { PaintCommand } from './types.js';

/**
 * Paints (or erases) a drag piece's dabs into the segment's layer. Painting
 * sets the segment's value on covered voxels except those of locked
 * segments; erasing clears covered voxels holding the segment's value; with
 * a threshold only voxels whose scan value lies in [min, max] change. A
 * locked segment is left alone: returns null. Otherwise returns the last
 * dab centre, for the next piece of the drag to join on to.
 * @param previous the previous piece's last centre, to interpolate from
 * @throws SegmentationError SEGMENT_NOT_FOUND; INVALID_ARGUMENT for a bad radius, centre or axis; NO_SCAN_VALUES for a threshold without scan values
 */
export function applyPaint(ctx: CommandContext, command: PaintCommand, previous: Vec3 | undefined): Vec3 | null {
  checkPaint(ctx, command);
  const segment = ctx.segments[findSegment(ctx.segments, command.segment)]!;
  if (segment.locked || command.centres.length === 0) return null;
  const writer = ctx.recorder.writer(segment.layer, ctx.layers[segment.layer]!);
  const { array } = writer;
  const { value } = segment;
  const locked = lockedValues(ctx.segments, segment.layer);
  const inRange = rangeTest(ctx, command);
  const visit = command.erase
    ? (n: number) => {
        if (array[n] === value && inRange(n)) writer.write(n, 0);
      }
    : (n: number) => {
        const old = array[n]!;
        if (old !== value && locked[old] !== 1 && inRange(n)) writer.write(n, value);
      };
  const { radiusMm, shape, planeAxis } = command;
  const centres = interpolateCentres({ grid: ctx.grid, centres: command.centres, radiusMm, previous });
  for (const centre of centres) forEachBrushVoxel(ctx.grid, { centre, radiusMm, shape, planeAxis }, visit);
  return centres[centres.length - 1]!;
}

/** Whether a voxel's scan value lets the brush change it. */
function rangeTest(ctx: CommandContext, command: PaintCommand): (voxel: number) => boolean {
  const { threshold } = command;
  const scanValue = ctx.scanValue;
  if (!threshold || !scanValue) return () => true;
  const { min, max } = threshold;
  return (n) => {
    const v = scanValue(n);
    return v >= min && v <= max;
  };
}

function checkPaint(ctx: CommandContext, command: PaintCommand): void {
  const { radiusMm, centres, planeAxis, threshold } = command;
  if (!(Number.isFinite(radiusMm) && radiusMm >= 0)) throw new SegmentationError('INVALID_ARGUMENT', `brush radius ${radiusMm} mm`);
  if (!centres.every((c) => c.length === 3 && c.every(Number.isFinite))) {
    throw new SegmentationError('INVALID_ARGUMENT', 'brush centres must be finite (i, j, k)');
  }
  if (planeAxis !== 0 && planeAxis !== 1 && planeAxis !== 2) throw new SegmentationError('INVALID_ARGUMENT', `plane axis ${String(planeAxis)}`);
  if (command.shape !== 'disc' && command.shape !== 'sphere') {
    throw new SegmentationError('INVALID_ARGUMENT', `brush shape ${String(command.shape)}`);
  }
  if (threshold && !ctx.scanValue) throw new SegmentationError('NO_SCAN_VALUES', 'a threshold brush needs the scan values (init.scanValue)');
  if (threshold && !(threshold.min <= threshold.max)) {
    throw new SegmentationError('INVALID_ARGUMENT', `threshold [${threshold.min}, ${threshold.max}]`);
  }
}
