import type { OrientationMarkers } from '../geometry/planeAxes.js';
import type { ViewPlane } from '../geometry/ViewPlane.js';
import type { ViewName } from '../geometry/types.js';
import type { Axis, Vec3 } from '../../core/geometry/types.js';

/** One viewport as it was last drawn. */
export interface ViewportTestState {
  readonly view: ViewName;
  /** Same counter as the element's data-rendered. */
  readonly rendered: number;
  readonly slice: number;
  readonly sliceAxis: Axis;
  readonly slices: number;
  readonly window: { readonly center: number; readonly width: number };
  /** The canvas's size in CSS pixels (cornerstone draws one canvas pixel per CSS pixel). */
  readonly canvas: { readonly width: number; readonly height: number };
  readonly markers: OrientationMarkers;
  /** ms to cut the slice and labels and hand them to cornerstone (prepareMs), and cornerstone's own draw (drawMs), for the last draw. */
  readonly timing: { readonly prepareMs: number; readonly drawMs: number };
  /**
   * [x, y] = cssFromVoxel · [i, j, k, 1]: the CSS-pixel position, from the
   * canvas's top-left corner, of voxel (i, j, k)'s centre projected onto the
   * view (on a standard plane the slice-axis column is 0).
   */
  readonly cssFromVoxel: readonly [readonly number[], readonly number[]];
  /** offset = offsetFromVoxel · [i, j, k, 1]: a voxel's distance from the plane shown, in normal steps (0 on it). */
  readonly offsetFromVoxel: readonly number[];
  /** The plane shown (voxel index of pixel (r, c) = origin + c·columnStep + r·rowStep), and whether it is the standard slice. */
  readonly plane: ViewPlane;
  readonly standard: boolean;
  /** Samples across the slab (1: the plane alone) and their projection. */
  readonly slab: { readonly samples: number; readonly mode: 'mip' | 'minip' | 'mean' };
  /** The same map as a function; onSlice says whether the voxel lies within half a normal step of the plane (on a standard plane: in its slice). */
  readonly voxelToCss: (i: number, j: number, k: number) => { x: number; y: number; onSlice: boolean };
}

/** `window.__axialViewState`: a frozen snapshot, replaced (never mutated) after every draw. */
export interface AxialViewState {
  readonly volumeId: string | null;
  readonly maskId: string | null;
  /** The crosshair's voxel index. */
  readonly cursor: Vec3 | null;
  readonly viewports: Readonly<Partial<Record<ViewName, ViewportTestState>>>;
}

export interface ViewStatePublisher {
  setViewport(view: ViewName, state: Omit<ViewportTestState, 'voxelToCss'> | null): void;
  setScene(scene: Pick<AxialViewState, 'volumeId' | 'maskId' | 'cursor'>): void;
}

/** Publishes the viewports' state on `target.__axialViewState` for end-to-end tests. */
export function createViewStatePublisher(target: { __axialViewState?: AxialViewState }): ViewStatePublisher {
  let state: AxialViewState = Object.freeze({ volumeId: null, maskId: null, cursor: null, viewports: Object.freeze({}) });
  const publish = (next: AxialViewState): void => {
    state = Object.freeze(next);
    target.__axialViewState = state;
  };
  publish(state);
  return {
    setViewport(view, viewport) {
      const viewports: Partial<Record<ViewName, ViewportTestState>> = { ...state.viewports };
      if (viewport) viewports[view] = Object.freeze({ ...viewport, voxelToCss: voxelToCssFunction(viewport) });
      else delete viewports[view];
      publish({ ...state, viewports: Object.freeze(viewports) });
    },
    setScene(scene) {
      publish({ ...state, ...scene });
    },
  };
}

function voxelToCssFunction(viewport: Omit<ViewportTestState, 'voxelToCss'>): ViewportTestState['voxelToCss'] {
  const [mx, my] = viewport.cssFromVoxel;
  return (i, j, k) => ({
    x: mx[0]! * i + mx[1]! * j + mx[2]! * k + mx[3]!,
    y: my[0]! * i + my[1]! * j + my[2]! * k + my[3]!,
    onSlice:
      Math.abs(viewport.offsetFromVoxel[0]! * i + viewport.offsetFromVoxel[1]! * j + viewport.offsetFromVoxel[2]! * k + viewport.offsetFromVoxel[3]!) < 0.5,
  });
}
