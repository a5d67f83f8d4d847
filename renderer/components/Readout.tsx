import { useSyncExternalStore } from 'react';
import { describeVoxel, formatWorld, type ReadoutLabels } from '../display/describeVoxel.js';
import type { Vec3 } from '../../core/geometry/types.js';
import type { HoverStore } from '../state/hoverStore.js';
import type { LoadedVolume } from '../data/LoadedVolume.js';

interface ReadoutProps {
  readonly hover: HoverStore;
  readonly volume: LoadedVolume | null;
  readonly labels: ReadoutLabels | null;
  /** Shown when the mouse is over no view. */
  readonly cursor: Vec3;
}

/** Voxel index, world position, value and segment under the mouse (or at the crosshair). */
export function Readout({ hover, volume, labels, cursor }: ReadoutProps) {
  const hovered = useSyncExternalStore(hover.subscribe, hover.get);
  const readout = volume ? describeVoxel(volume, labels, hovered?.index ?? cursor) : null;
  if (!readout) {
    return (
      <div className="readout" data-testid="readout">
        No scan open
      </div>
    );
  }
  const world = formatWorld(readout.world);
  return (
    <div
      className="readout"
      data-testid="readout"
      data-source={hovered ? 'mouse' : 'crosshair'}
      data-voxel={readout.index.join(',')}
      data-world={world.replace(/ /g, '')}
      data-value={String(readout.value)}
      data-segment={readout.segment}
    >
      <span>{hovered ? 'Cursor' : 'Crosshair'}</span>
      <span>
        Voxel <b>{readout.index.join(', ')}</b>
      </span>
      <span>
        World <b>{world}</b> mm (LPS)
      </span>
      <span>
        Value <b>{readout.valueText}</b>
      </span>
      <span>
        Segment <b>{readout.segment || '—'}</b>
      </span>
    </div>
  );
}
