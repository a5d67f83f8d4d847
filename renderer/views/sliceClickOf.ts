import { indexToWorld, type IndexGeometry } from '../../core/geometry/indexToWorld.js';
import type { Vec3 } from '../../core/geometry/types.js';
import type { SliceClick } from '../segmentation/MaskPreview.js';

/** Whether a press goes to a click tool: a plain left or right press, or Ctrl+left (DeepEdit's background point). */
export function isToolPress(event: { button: number; metaKey: boolean; shiftKey: boolean }): boolean {
  return (event.button === 0 || event.button === 2) && !event.metaKey && !event.shiftKey;
}

/** A click tool's view of a press on a voxel: the voxel, its LPS world centre, the button and Ctrl. */
export function sliceClickOf(geometry: IndexGeometry, voxel: Vec3, event: { button: number; ctrlKey: boolean }): SliceClick {
  return { index: voxel, world: indexToWorld(geometry, voxel), button: event.button === 2 ? 'right' : 'left', ctrlKey: event.ctrlKey };
}
