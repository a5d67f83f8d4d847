import { defaultThreshold } from '../segmentation/defaultThreshold.js';
import type { EventTypes, ModelInputs, RecoveryInfo, ScanResult, SegmentInfo } from '../../core/contract.js';
import type { DeviceChoice } from '../api/gpuDevice.js';
import type { SegmentationSnapshot, SegmentationStore } from '../segmentation/types.js';
import { segmentKeyOf, type SegmentKey } from '../../core/labels/segmentKey.js';
import type { VoiWindow } from '../display/windowPresets.js';
import { centreVoxel } from '../geometry/centreVoxel.js';
import { planeAxes } from '../geometry/planeAxes.js';
import type { ViewName } from '../geometry/types.js';
import type { Vec3 } from '../../core/geometry/types.js';
import type { LoadedVolume } from '../data/LoadedVolume.js';
import { isSameSeries } from '../data/isSameSeries.js';
import { loadReducer, type LoadAction, type LoadProgress } from './loadProgress.js';
import { initialMprState, mprReducer, type MprAction, type MprState } from './mprState.js';
import { settingsReducer, type SettingsAction, type SettingsDialogState } from './settingsDialog.js';

/** The segmentation being shown and edited: its store (the one owner of its data) and main's statistics of it. */
export interface SegmentationSession {
  readonly maskId: string;
  readonly name: string;
  readonly store: SegmentationStore;
  readonly snapshot: SegmentationSnapshot;
  /** Main's latest statistics, per segment (matched by layer and value). */
  readonly stats: readonly SegmentInfo[];
  /** The time point (0-based) of the 4D series whose values those statistics are of; undefined for a 3D scan. */
  readonly statsTimePoint?: number | undefined;
  /** The store revision those statistics include (equal to the snapshot's once main has every edit). */
  readonly statsRevision: number;
  /** Main's count of changes since the segmentation was last saved (0: nothing to lose). */
  readonly unsavedEdits: number;
  /** Resolves once main has every change made so far (its count is then current). */
  readonly synced: () => Promise<void>;
  /** The volume drawn (another time point of the series, once loaded): the tools read its values, the statistics follow it. */
  readonly followVolume?: (volume: LoadedVolume) => void;
}

/** Where a model's result goes: a segmentation of its own, or new segments of the open one (one undo step). */
export type ModelTarget = { readonly kind: 'new' } | { readonly kind: 'append'; readonly maskId: string };

/** Display settings of one segment (its data lives in the store). */
export interface SegmentView {
  readonly visible: boolean;
}

/** What a left drag in a view does, and the brush's settings. */
export interface EditTool {
  /** 'line' | 'angle' | 'ellipse' | 'freehand' are measurement tools: their left-button events go to Viewport's onMeasurePointer. */
  readonly kind: 'navigate' | 'brush' | 'eraser' | 'line' | 'angle' | 'ellipse' | 'freehand' | 'rotate';
  readonly radiusMm: number;
  readonly shape: 'disc' | 'sphere';
  /** Paint only voxels whose value lies in [min, max] (e.g. HU). */
  readonly threshold: { readonly on: boolean; readonly min: number; readonly max: number };
}

/** The key of a segment in maps and test ids: "layer:value". */

export interface JobState {
  readonly jobId: string;
  readonly progress: EventTypes['segmentation:progress'] | null;
  readonly cancelling: boolean;
  /** Its result has come and is being placed: nothing is left to stop. */
  readonly finishing?: boolean;
  readonly into: ModelTarget;
  /** The volume shown when the run started: its result belongs to that series, whichever time point is shown when it ends. */
  readonly volume?: LoadedVolume | null;
}

/**
 * 'four' (shown as 2×2, the default): the three views and the 3D view; 'three' (1×3): the three views in a row;
 * 'one' (1 view): the active view (the 3D view when active3d).
 */
export type Layout = 'three' | 'one' | 'four';

/** The run asked for, waiting while the user chooses a series for each of the model's input channels. */
export interface ModelInputsDialogState {
  readonly inputs: ModelInputs;
  readonly model: 'demo' | 'choose';
  readonly device: DeviceChoice;
  readonly kind: ModelTarget['kind'];
}

export interface ViewerState {
  /** A scan with several series, waiting for the user to pick one. */
  readonly pickSeries: ScanResult | null;
  readonly volume: LoadedVolume | null;
  readonly segmentation: SegmentationSession | null;
  /** Per segment key (segmentKeyOf). */
  readonly segments: Readonly<Record<string, SegmentView>>;
  readonly activeSegment: SegmentKey | null;
  readonly tool: EditTool;
  /** Unsaved edits a crash left for the loaded volume's source, offered until restored or discarded. */
  readonly recovery: RecoveryInfo | null;
  readonly opacity: number;
  readonly outline: boolean;
  /** The crosshair's voxel index; each view shows the slice through it. */
  readonly cursor: Vec3;
  readonly voi: VoiWindow;
  readonly initialVoi: VoiWindow;
  readonly layout: Layout;
  readonly activeView: ViewName;
  /** The 3D view is the active tile (shown alone in layout 'one', exported by Export PNG); activeView stays the last 2D view. */
  readonly active3d: boolean;
  readonly job: JobState | null;
  /** A long step under way ("Loading series…"), shown beside the toolbar. */
  readonly busy: string | null;
  readonly status: string | null;
  /** An error in words, for the error banner. */
  readonly error: string | null;
  readonly resetToken: number;
  /** Oblique planes (the crosshair's rotation) and thick slabs. */
  readonly mpr: MprState;
  /** The scan or load under way (its progress bar and Cancel), or null. */
  readonly load: LoadProgress | null;
  /** The Settings dialog, while it shows. */
  readonly settingsDialog: SettingsDialogState | null;
  /** A model of several input images waiting for a series per channel, while its dialog shows. */
  readonly modelInputs: ModelInputsDialogState | null;
}

export type ViewerAction =
  | { readonly type: 'pickSeries'; readonly scan: ScanResult | null }
  | { readonly type: 'modelInputs'; readonly dialog: ModelInputsDialogState | null }
  | { readonly type: 'busy'; readonly message: string | null }
  | { readonly type: 'volumeLoaded'; readonly volume: LoadedVolume; readonly voi: VoiWindow }
  /** Another time point of the 4D series shown, on its grid: only the voxels change (slice, window, views and segmentation stay). */
  | { readonly type: 'timePointLoaded'; readonly volume: LoadedVolume }
  | { readonly type: 'maskLoaded'; readonly volumeId: string; readonly session: SegmentationSession; readonly status?: string }
  | { readonly type: 'segmentationChanged'; readonly maskId: string; readonly snapshot: SegmentationSnapshot }
  /** Main has every change up to `revision`, and (when given) these are its statistics. */
  | {
      readonly type: 'segmentStats';
      readonly maskId: string;
      readonly revision: number;
      readonly stats?: readonly SegmentInfo[];
      /** With `stats`: the time point they are of (undefined for a 3D scan). */
      readonly statsTimePoint?: number | undefined;
      readonly unsavedEdits?: number;
    }
  /** Main counts the segmentation as saved (it was saved, or its edits discarded). */
  | { readonly type: 'segmentationSaved'; readonly maskId: string }
  | { readonly type: 'activeSegment'; readonly segment: SegmentKey | null }
  | { readonly type: 'tool'; readonly tool: Partial<EditTool> }
  | { readonly type: 'recovery'; readonly recovery: RecoveryInfo | null }
  | { readonly type: 'cursor'; readonly index: Vec3 }
  /** Cine: the view's next slice, back to the first after the last. */
  | { readonly type: 'cineStep'; readonly view: ViewName }
  | { readonly type: 'voi'; readonly voi: VoiWindow }
  | { readonly type: 'resetViews' }
  | { readonly type: 'layout'; readonly layout: Layout }
  | { readonly type: 'activeView'; readonly view: ViewName }
  | { readonly type: 'active3d' }
  | { readonly type: 'opacity'; readonly opacity: number }
  | { readonly type: 'outline'; readonly outline: boolean }
  | { readonly type: 'segmentVisible'; readonly key: string; readonly visible: boolean }
  | { readonly type: 'jobStarted'; readonly jobId: string; readonly into?: ModelTarget }
  | { readonly type: 'jobProgress'; readonly progress: EventTypes['segmentation:progress'] }
  | { readonly type: 'jobCancelling' }
  | { readonly type: 'jobFinishing' }
  | { readonly type: 'jobEnded' }
  | { readonly type: 'status'; readonly message: string | null }
  | { readonly type: 'error'; readonly message: string | null }
  | MprAction
  | LoadAction
  | SettingsAction;

export const initialViewerState: ViewerState = {
  pickSeries: null,
  volume: null,
  segmentation: null,
  segments: {},
  activeSegment: null,
  tool: { kind: 'navigate', radiusMm: 5, shape: 'disc', threshold: { on: false, min: -100, max: 300 } },
  recovery: null,
  opacity: 0.5,
  outline: false,
  cursor: [0, 0, 0],
  voi: { center: 40, width: 400 },
  initialVoi: { center: 40, width: 400 },
  layout: 'four',
  activeView: 'axial',
  active3d: false,
  job: null,
  busy: null,
  status: null,
  error: null,
  resetToken: 0,
  mpr: initialMprState,
  load: null,
  settingsDialog: null,
  modelInputs: null,
};

/** Every change to the viewer's state goes through here. */
export function viewerReducer(state: ViewerState, action: ViewerAction): ViewerState {
  switch (action.type) {
    case 'pickSeries':
      return { ...state, pickSeries: action.scan };
    case 'modelInputs':
      return { ...state, modelInputs: action.dialog };
    case 'busy':
      return { ...state, busy: action.message, error: action.message ? null : state.error };
    case 'volumeLoaded': {
      return {
        ...state,
        volume: action.volume,
        // A run waiting for its input series belonged to the scan shown before.
        modelInputs: null,
        segmentation: null,
        segments: {},
        activeSegment: null,
        recovery: action.volume.header.recovery,
        cursor: centreVoxel(action.volume.header),
        tool: { ...state.tool, threshold: { on: false, ...defaultThreshold(action.volume) } },
        voi: action.voi,
        initialVoi: action.voi,
        busy: null,
        pickSeries: null,
        status: null,
        mpr: initialMprState,
      };
    }
    case 'timePointLoaded': {
      return isSameSeries(state.volume, action.volume) ? { ...state, volume: action.volume } : state;
    }
    case 'maskLoaded': {
      if (action.volumeId !== state.volume?.header.volumeId) return state;
      const segments = action.session.snapshot.segments;
      const first = segments[0];
      return {
        ...state,
        segmentation: action.session,
        segments: Object.fromEntries(segments.map((s) => [segmentKeyOf(s), { visible: true }])),
        activeSegment: first ? { layer: first.layer, value: first.value } : null,
        busy: null,
        status: action.status ?? state.status,
      };
    }
    case 'segmentationChanged': {
      const session = state.segmentation;
      if (session?.maskId !== action.maskId) return state;
      const segments = action.snapshot.segments;
      const views: Record<string, SegmentView> = {};
      for (const s of segments) views[segmentKeyOf(s)] = state.segments[segmentKeyOf(s)] ?? { visible: true };
      const active = state.activeSegment && segments.some((s) => segmentKeyOf(s) === segmentKeyOf(state.activeSegment!)) ? state.activeSegment : null;
      const last = segments[segments.length - 1];
      const added = segments.length > session.snapshot.segments.length && last ? { layer: last.layer, value: last.value } : null;
      return { ...state, segmentation: { ...session, snapshot: action.snapshot }, segments: views, activeSegment: added ?? active };
    }
    case 'segmentStats': {
      const session = state.segmentation;
      if (session?.maskId !== action.maskId) return state;
      const { stats = session.stats, unsavedEdits = session.unsavedEdits } = action;
      const statsTimePoint = action.stats ? action.statsTimePoint : session.statsTimePoint;
      return { ...state, segmentation: { ...session, stats, statsTimePoint, statsRevision: action.revision, unsavedEdits } };
    }
    case 'segmentationSaved':
      return state.segmentation?.maskId === action.maskId ? { ...state, segmentation: { ...state.segmentation, unsavedEdits: 0 } } : state;
    case 'activeSegment':
      return { ...state, activeSegment: action.segment };
    case 'tool':
      return { ...state, tool: { ...state.tool, ...action.tool } };
    case 'recovery':
      return { ...state, recovery: action.recovery };
    case 'cursor':
      return { ...state, cursor: clampCursor(state, action.index) };
    case 'cineStep': {
      if (!state.volume) return state;
      const { sliceAxis, slices } = planeAxes(state.volume.header, action.view);
      const next = [state.cursor[0], state.cursor[1], state.cursor[2]];
      next[sliceAxis] = (next[sliceAxis]! + 1) % slices;
      return { ...state, cursor: [next[0]!, next[1]!, next[2]!] };
    }
    case 'mprRotate':
    case 'mprReset':
    case 'mprSlab':
    case 'mprPoint':
      return mprReducer(state, action);
    case 'loadStarted':
    case 'loadProgress':
    case 'loadShown':
    case 'loadCancelling':
    case 'loadEnded': {
      const load = loadReducer(state.load, action);
      return load === state.load ? state : { ...state, load };
    }
    case 'settingsOpened':
    case 'settingsLoaded':
    case 'settingsSaving':
    case 'settingsClosed': {
      const settingsDialog = settingsReducer(state.settingsDialog, action);
      return settingsDialog === state.settingsDialog ? state : { ...state, settingsDialog };
    }
    case 'voi':
      return { ...state, voi: action.voi };
    case 'resetViews':
      return { ...state, voi: state.initialVoi, resetToken: state.resetToken + 1 };
    case 'layout':
      // The three 2D views have no 3D tile to keep active.
      return { ...state, layout: action.layout, active3d: action.layout === 'three' ? false : state.active3d };
    case 'activeView':
      return state.activeView === action.view && !state.active3d ? state : { ...state, activeView: action.view, active3d: false };
    case 'active3d':
      // Choosing the 3D view while only the 2D views show brings it in beside them.
      return state.active3d ? state : { ...state, active3d: true, layout: state.layout === 'three' ? 'four' : state.layout };
    case 'opacity':
      return { ...state, opacity: Math.min(1, Math.max(0, action.opacity)) };
    case 'outline':
      return { ...state, outline: action.outline };
    case 'segmentVisible':
      return state.segments[action.key] ? { ...state, segments: { ...state.segments, [action.key]: { visible: action.visible } } } : state;
    case 'jobStarted':
      return {
        ...state,
        job: { jobId: action.jobId, progress: null, cancelling: false, into: action.into ?? { kind: 'new' }, volume: state.volume },
        error: null,
        status: null,
      };
    case 'jobProgress':
      return state.job?.jobId === action.progress.jobId ? { ...state, job: { ...state.job, progress: action.progress } } : state;
    case 'jobCancelling':
      return state.job ? { ...state, job: { ...state.job, cancelling: true } } : state;
    case 'jobFinishing':
      return state.job ? { ...state, job: { ...state.job, finishing: true } } : state;
    case 'jobEnded':
      return { ...state, job: null };
    case 'status':
      return { ...state, status: action.message };
    case 'error':
      return { ...state, error: action.message, busy: action.message ? null : state.busy };
  }
}

function clampCursor(state: ViewerState, index: Vec3): Vec3 {
  const dims = state.volume?.header.dimensions ?? [1, 1, 1];
  const clamp = (v: number, n: number): number => Math.min(n - 1, Math.max(0, Math.round(v)));
  return [clamp(index[0], dims[0]), clamp(index[1], dims[1]), clamp(index[2], dims[2])];
}
