import type { ReactNode } from 'react';
import type { Axis, Vec3 } from '../../core/geometry/types.js';
import type { Rgba } from '../display/labelColours.js';
import type { LabelDisplay } from '../display/labelDisplayOf.js';
import type { VoiWindow } from '../display/windowPresets.js';
import type { PlaneAxes } from '../geometry/planeAxes.js';
import type { ViewName } from '../geometry/types.js';
import type { LoadedVolume } from '../data/LoadedVolume.js';
import type { ViewportMpr } from '../state/useMprViews.js';
import type { EditTool } from '../state/viewerState.js';
import type { MaskPreview } from '../segmentation/MaskPreview.js';
import type { SliceRenderer } from './sliceRenderer.js';
import type { ViewGeometry } from './ViewGeometry.js';

/** What every view draws: the volume under its window and the label layers in their colours (one object for all views). */
export interface ViewportPicture {
  readonly volume: LoadedVolume;
  readonly voi: VoiWindow;
  readonly labels: LabelDisplay | null;
  readonly maskColours: readonly Rgba[] | null;
  readonly outline: boolean;
}

/** Where one view looks: its standard axes (its slices), the plane shown with the others' and the slab, and the crosshair voxel. */
export interface ViewportPosition {
  readonly axes: PlaneAxes;
  /** See useMprViews. */
  readonly mpr: ViewportMpr;
  readonly cursor: Vec3;
}

/** How one view is driven now. */
export interface ViewportControls {
  /** Left drags paint, erase, turn the crosshair ('rotate') or measure, unless the tool is 'navigate'. */
  readonly tool: EditTool;
  readonly active: boolean;
  /** Changes when the user asks to reset zoom and pan. */
  readonly resetToken: number;
  /**
   * The shown segmentation's preview (its store's `preview`): the view draws
   * its proposal, and while it has a click tool, left and right clicks go to
   * that tool instead of the brush or the crosshair.
   */
  readonly preview?: MaskPreview | null;
}

/** What the views report, the same functions for every view. */
export interface ViewportCallbacks {
  readonly onCursor: (index: Vec3) => void;
  readonly onVoi: (voi: VoiWindow) => void;
  readonly onHover: (view: ViewName, index: Vec3 | null) => void;
  readonly onActivate: (view: ViewName) => void;
  /** The view's renderer once it exists, and null when the view goes. */
  readonly onRenderer: (view: ViewName, renderer: SliceRenderer | null) => void;
  readonly onPaint: (phase: 'start' | 'move' | 'end', index: Vec3, planeAxis: Axis) => void;
}

/** A layer drawn over the views and the pointer events it takes (the measurements). */
export interface ViewportMeasurement {
  /** Drawn inside the stage above the picture; called again whenever the plane, zoom or pan changes. */
  overlay(geometry: ViewGeometry): ReactNode;
  /** Left-button pointer events while a measurement tool is chosen. */
  onPointer(phase: 'down' | 'move' | 'up', geometry: ViewGeometry, at: { row: number; column: number }, event: globalThis.PointerEvent): void;
}

/** One view's props, in groups: what is drawn, where the view looks, how it is driven, what it reports, and the overlay. */
export interface ViewportProps {
  readonly view: ViewName;
  readonly picture: ViewportPicture;
  readonly position: ViewportPosition;
  readonly controls: ViewportControls;
  readonly callbacks: ViewportCallbacks;
  readonly measurement?: ViewportMeasurement;
}
