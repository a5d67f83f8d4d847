import { useEffect, useRef, useState } from 'react';
import type { SegmentKey } from '../../core/labels/segmentKey.js';
import type { VoxelBox } from '../../core/segmentation/growFromSeedsTypes.js';
import { startGrowFromSeeds, type GrowFromSeedsController, type GrowStatus } from '../segmentation/growFromSeedsController.js';
import type { SegmentationStore } from '../segmentation/types.js';

interface GrowFromSeedsProps {
  readonly store: SegmentationStore;
  /** The active segment: the one whose grown region is proposed. */
  readonly segment: SegmentKey | null;
  readonly onError: (message: string) => void;
}

/**
 * Grow from seeds (Slicer's effect): paint a few strokes in two or more
 * segments (one may be the background), press Grow; the active segment's
 * grown region is previewed and grown again after each stroke, until the
 * preview bar's Apply or Cancel. Optionally only inside a box of voxel indices.
 */
export function GrowFromSeeds({ store, segment, onError }: GrowFromSeedsProps) {
  const [status, setStatus] = useState<GrowStatus | null>(null);
  const [neighbourhood, setNeighbourhood] = useState<6 | 26>(6);
  const [boxOn, setBoxOn] = useState(false);
  const [boxText, setBoxText] = useState({ min: '', max: '' });
  const running = useRef<GrowFromSeedsController | null>(null);
  const on = status !== null && status.phase !== 'stopped';

  useEffect(() => () => running.current?.stop(), [store]);

  const toggle = (): void => {
    if (on) return void running.current?.stop();
    if (!segment) return;
    const box = boxOn ? parseBox(boxText.min, boxText.max, store.grid.dimensions) : undefined;
    if (boxOn && !box) return onError('The box needs two corners as "i, j, k" inside the scan.');
    try {
      running.current = startGrowFromSeeds(store, { target: segment, neighbourhood, ...(box ? { box } : {}) }, setStatus);
    } catch (error) {
      onError(`Could not grow from seeds: ${(error as Error).message}`);
    }
  };

  return (
    <div className="grow-from-seeds" data-testid="grow-from-seeds">
      <div className="row">
        <button
          type="button"
          data-testid="tool-grow"
          aria-pressed={on}
          disabled={!segment || !store.scanValue}
          title="Paint seeds in two or more segments (one may be the background); the active segment's region is previewed"
          onClick={toggle}
        >
          Grow from seeds
        </button>
        <select
          aria-label="Neighbours"
          data-testid="grow-neighbours"
          value={neighbourhood}
          disabled={on}
          onChange={(e) => setNeighbourhood(Number(e.currentTarget.value) === 26 ? 26 : 6)}
        >
          <option value={6}>6 neighbours (faster)</option>
          <option value={26}>26 neighbours</option>
        </select>
      </div>
      <label className="row">
        <input type="checkbox" data-testid="grow-box-on" checked={boxOn} disabled={on} onChange={(e) => setBoxOn(e.currentTarget.checked)} />
        Only inside the box from
        <input
          type="text"
          data-testid="grow-box-min"
          placeholder="i, j, k"
          size={10}
          disabled={!boxOn || on}
          value={boxText.min}
          onChange={(e) => setBoxText({ ...boxText, min: e.currentTarget.value })}
        />
        to
        <input
          type="text"
          data-testid="grow-box-max"
          placeholder="i, j, k"
          size={10}
          disabled={!boxOn || on}
          value={boxText.max}
          onChange={(e) => setBoxText({ ...boxText, max: e.currentTarget.value })}
        />
      </label>
      {status ? (
        <p
          className="hint"
          data-testid="grow-note"
          data-phase={status.phase}
          data-grows={status.grows}
          data-voxels={status.voxels ?? 0}
          data-ms={status.ms?.toFixed(0) ?? ''}
          data-incremental={status.incremental ?? false}
          data-worker={status.inWorker ?? false}
        >
          {statusText(status, boxOn)}
        </p>
      ) : null}
    </div>
  );
}

/** The note under the tool; `userBox`: the user set the box (otherwise the grow keeps to the seeds' box widened by a tenth, as Slicer's). */
function statusText(status: GrowStatus, userBox: boolean): string {
  switch (status.phase) {
    case 'growing':
      return 'Growing…';
    case 'failed':
      return status.message ?? 'Could not grow from seeds.';
    case 'stopped':
      return '';
    case 'ready': {
      const seconds = ((status.ms ?? 0) / 1000).toFixed(1);
      const size = status.box?.max.map((m, a) => m - status.box!.min[a]! + 1).join(' × ');
      const box = !size ? '' : userBox ? ` in your box of ${size} voxels` : ` around the seeds (their box and a tenth more each side: ${size} voxels)`;
      return `Grown in ${seconds} s${box}. Paint more seeds to refine, then Apply.`;
    }
  }
}

/** "i, j, k" corners to a box inside the grid, or null. */
function parseBox(min: string, max: string, dimensions: readonly number[]): VoxelBox | null {
  const read = (text: string): [number, number, number] | null => {
    const v = text
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(Number);
    return v.length === 3 && v.every((x, a) => Number.isInteger(x) && x >= 0 && x < dimensions[a]!) ? [v[0]!, v[1]!, v[2]!] : null;
  };
  const a = read(min);
  const b = read(max);
  if (!a || !b) return null;
  return { min: [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.min(a[2], b[2])], max: [Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.max(a[2], b[2])] };
}
