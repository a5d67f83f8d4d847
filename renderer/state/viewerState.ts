import type { EventTypes, ScanResult } from '../../preload/contract.js';
import type { VoiWindow } from '../display/windowPresets.js';
import { centreVoxel } from '../geometry/centreVoxel.js';
import type { Vec3, ViewName } from '../geometry/types.js';
import type { LoadedMask, LoadedVolume } from './loadedData.js';

/** Display settings of one segment; its data (name, voxels, volume) stays in the mask header. */
export interface SegmentView {
  readonly visible: boolean;
  readonly locked: boolean;
  readonly colour: readonly [number, number, number];
}

export interface JobState {
  readonly jobId: string;
  readonly progress: EventTypes['segmentation:progress'] | null;
  readonly cancelling: boolean;
}

export type Layout = 'three' | 'one';

export interface ViewerState {
  /** A scan with several series, waiting for the user to pick one. */
  readonly pickSeries: ScanResult | null;
  readonly volume: LoadedVolume | null;
  readonly mask: LoadedMask | null;
  readonly segments: Readonly<Record<number, SegmentView>>;
  readonly opacity: number;
  readonly outline: boolean;
  /** The crosshair's voxel index; each view shows the slice through it. */
  readonly cursor: Vec3;
  readonly voi: VoiWindow;
  readonly initialVoi: VoiWindow;
  readonly layout: Layout;
  readonly activeView: ViewName;
  readonly job: JobState | null;
  /** A long step under way ("Loading series…"), shown beside the toolbar. */
  readonly busy: string | null;
  readonly status: string | null;
  /** An error in words, for the error banner. */
  readonly error: string | null;
  readonly resetToken: number;
}

export type ViewerAction =
  | { readonly type: 'pickSeries'; readonly scan: ScanResult | null }
  | { readonly type: 'busy'; readonly message: string | null }
  | { readonly type: 'volumeLoaded'; readonly volume: LoadedVolume; readonly voi: VoiWindow }
  | { readonly type: 'maskLoaded'; readonly mask: LoadedMask; readonly status?: string }
  | { readonly type: 'cursor'; readonly index: Vec3 }
  | { readonly type: 'voi'; readonly voi: VoiWindow }
  | { readonly type: 'resetViews' }
  | { readonly type: 'layout'; readonly layout: Layout }
  | { readonly type: 'activeView'; readonly view: ViewName }
  | { readonly type: 'opacity'; readonly opacity: number }
  | { readonly type: 'outline'; readonly outline: boolean }
  | { readonly type: 'segmentVisible'; readonly value: number; readonly visible: boolean }
  | { readonly type: 'segmentLocked'; readonly value: number; readonly locked: boolean }
  | { readonly type: 'segmentColour'; readonly value: number; readonly colour: readonly [number, number, number] }
  | { readonly type: 'jobStarted'; readonly jobId: string }
  | { readonly type: 'jobProgress'; readonly progress: EventTypes['segmentation:progress'] }
  | { readonly type: 'jobCancelling' }
  | { readonly type: 'jobEnded' }
  | { readonly type: 'status'; readonly message: string | null }
  | { readonly type: 'error'; readonly message: string | null };

export const initialViewerState: ViewerState = {
  pickSeries: null,
  volume: null,
  mask: null,
  segments: {},
  opacity: 0.5,
  outline: false,
  cursor: [0, 0, 0],
  voi: { center: 40, width: 400 },
  initialVoi: { center: 40, width: 400 },
  layout: 'three',
  activeView: 'axial',
  job: null,
  busy: null,
  status: null,
  error: null,
  resetToken: 0,
};

/** Every change to the viewer's state goes through here. */
export function viewerReducer(state: ViewerState, action: ViewerAction): ViewerState {
  switch (action.type) {
    case 'pickSeries':
      return { ...state, pickSeries: action.scan };
    case 'busy':
      return { ...state, busy: action.message, error: action.message ? null : state.error };
    case 'volumeLoaded': {
      return {
        ...state,
        volume: action.volume,
        mask: null,
        segments: {},
        cursor: centreVoxel(action.volume.header),
        voi: action.voi,
        initialVoi: action.voi,
        busy: null,
        pickSeries: null,
        status: null,
      };
    }
    case 'maskLoaded':
      if (action.mask.header.volumeId !== state.volume?.header.volumeId) return state;
      return { ...state, mask: action.mask, segments: segmentViews(action.mask), busy: null, status: action.status ?? state.status };
    case 'cursor':
      return { ...state, cursor: clampCursor(state, action.index) };
    case 'voi':
      return { ...state, voi: action.voi };
    case 'resetViews':
      return { ...state, voi: state.initialVoi, resetToken: state.resetToken + 1 };
    case 'layout':
      return { ...state, layout: action.layout };
    case 'activeView':
      return state.activeView === action.view ? state : { ...state, activeView: action.view };
    case 'opacity':
      return { ...state, opacity: Math.min(1, Math.max(0, action.opacity)) };
    case 'outline':
      return { ...state, outline: action.outline };
    case 'segmentVisible':
      return updateSegment(state, action.value, (s) => ({ ...s, visible: action.visible }));
    case 'segmentColour':
      return updateSegment(state, action.value, (s) => ({ ...s, colour: action.colour }));
    case 'segmentLocked': {
      const segment = state.segments[action.value];
      return segment ? { ...state, segments: { ...state.segments, [action.value]: { ...segment, locked: action.locked } } } : state;
    }
    case 'jobStarted':
      return { ...state, job: { jobId: action.jobId, progress: null, cancelling: false }, error: null, status: null };
    case 'jobProgress':
      return state.job?.jobId === action.progress.jobId ? { ...state, job: { ...state.job, progress: action.progress } } : state;
    case 'jobCancelling':
      return state.job ? { ...state, job: { ...state.job, cancelling: true } } : state;
    case 'jobEnded':
      return { ...state, job: null };
    case 'status':
      return { ...state, status: action.message };
    case 'error':
      return { ...state, error: action.message, busy: action.message ? null : state.busy };
  }
}

/** A locked segment's display can't be changed until it is unlocked. */
function updateSegment(state: ViewerState, value: number, change: (s: SegmentView) => SegmentView): ViewerState {
  const segment = state.segments[value];
  if (!segment || segment.locked) return state;
  return { ...state, segments: { ...state.segments, [value]: change(segment) } };
}

/** Fresh display settings for a new mask: a label value may name another structure in the next mask. */
function segmentViews(mask: LoadedMask): Record<number, SegmentView> {
  const views: Record<number, SegmentView> = {};
  for (const segment of mask.header.segments) views[segment.value] = { visible: true, locked: false, colour: segment.colour };
  return views;
}

function clampCursor(state: ViewerState, index: Vec3): Vec3 {
  const dims = state.volume?.header.dimensions ?? [1, 1, 1];
  const clamp = (v: number, n: number): number => Math.min(n - 1, Math.max(0, Math.round(v)));
  return [clamp(index[0], dims[0]), clamp(index[1], dims[1]), clamp(index[2], dims[2])];
}
