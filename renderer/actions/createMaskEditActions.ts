import type { Axis, Vec3 } from '../../core/geometry/types.js';
import { unwrap } from '../api/callApi.js';
import type { SegmentationCommand } from '../segmentation/types.js';
import { recoveryFirst, type ActionContext } from './ActionContext.js';
import type { ShowMask } from './createShowMask.js';
import type { StoreUpdate } from './createStoreUpdate.js';

/** Changes to the shown segmentation: its store's commands, which reach main as `mask:edit` calls (syncSegmentation). */
export interface MaskEditActions {
  /** Adds a segment (creating an empty segmentation first when there is none) and makes it the active one. */
  addSegment(): void;
  /** Any other change to the segmentation: rename, recolour, lock, delete, clean-ups, undo, redo. */
  edit(command: SegmentationCommand): void;
  /** A brush or eraser drag in a view: start, move and end, at a voxel index. */
  paint(phase: 'start' | 'move' | 'end', index: Vec3, planeAxis: Axis): void;
}

export interface MaskEditContext extends ActionContext {
  readonly showMask: ShowMask;
  readonly update: StoreUpdate;
}

/** Adding segments, editing the segment table, and painting with the chosen tool. */
export function createMaskEditActions(context: MaskEditContext): MaskEditActions {
  const { attempt, state, update } = context;
  return {
    addSegment: () =>
      attempt('Could not add a segment', async (a) => {
        const volume = state.current.volume;
        if (!volume) throw new Error('open a scan first');
        if (!state.current.segmentation && state.current.recovery) throw new Error(recoveryFirst);
        // The new store is not in the rendered state yet: use it directly.
        const store =
          state.current.segmentation?.store ??
          (await context.showMask(a, await unwrap(a['mask:create']({ volumeId: volume.header.volumeId })), 'New segmentation'));
        if (store) update({ type: 'addSegment' }, store);
      }),
    edit: (command) => void update(command),
    paint: (phase, index, planeAxis) => paint(context, phase, index, planeAxis),
  };
}

function paint(context: MaskEditContext, phase: 'start' | 'move' | 'end', index: Vec3, planeAxis: Axis): void {
  const { dispatch, state, update } = context;
  const { tool, activeSegment, segmentation } = state.current;
  if (!segmentation || tool.kind === 'navigate') return;
  if (phase === 'end') return void update({ type: 'endStroke' });
  if (!activeSegment) {
    if (phase === 'start') dispatch({ type: 'error', message: 'Choose a segment to paint (or add one) first.' });
    return;
  }
  if (phase === 'start') update({ type: 'beginStroke' });
  update({
    type: 'paint',
    segment: activeSegment,
    centres: [index],
    radiusMm: tool.radiusMm,
    shape: tool.shape,
    planeAxis,
    erase: tool.kind === 'eraser',
    ...(tool.threshold.on ? { threshold: { min: tool.threshold.min, max: tool.threshold.max } } : {}),
  });
}
