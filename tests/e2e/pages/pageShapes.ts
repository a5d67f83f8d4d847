/**
 * The few browser shapes the functions sent to the page use. The test
 * program compiles for Node (no DOM library), and importing the renderer's
 * own types would compile renderer files under the Node config; so the
 * parts of `window.__axialViewState` (renderer/testAid/viewStateForTests.ts)
 * the tests read are restated here.
 */

export type ViewName = 'axial' | 'coronal' | 'sagittal';
export const viewNames: readonly ViewName[] = ['axial', 'coronal', 'sagittal'];

export type Index3 = readonly [number, number, number];

/** The side panel's tabs (renderer/app/sideTabs.ts). */
export type SideTab = 'study' | 'segments' | 'edit' | 'measure';

/** One canvas pixel read back, where a voxel centre lands. */
export interface PixelSample {
  readonly index: Index3;
  readonly rgba: readonly [number, number, number, number];
  /** The canvas pixel read (device px). */
  readonly canvasX: number;
  readonly canvasY: number;
  /** That pixel's centre in CSS px from the canvas's top-left corner. */
  readonly cssX: number;
  readonly cssY: number;
  /** Whether the voxel lies in the slice shown. */
  readonly onSlice: boolean;
}

/** What the readout bar shows (under the mouse, or at the crosshair). */
export interface Readout {
  readonly source: string | null;
  readonly voxel: string | null;
  /** LPS mm, 'x,y,z' to 0.1 mm. */
  readonly world: string | null;
  readonly value: string | null;
  readonly segment: string | null;
}

export interface OrientationMarkers {
  readonly left: string;
  readonly right: string;
  readonly top: string;
  readonly bottom: string;
}

/** One viewport as last drawn, without its `voxelToCss` function (functions do not cross to Node). */
export interface ViewportSnapshot {
  readonly view: ViewName;
  readonly rendered: number;
  readonly slice: number;
  readonly sliceAxis: 0 | 1 | 2;
  readonly slices: number;
  readonly window: { readonly center: number; readonly width: number };
  readonly canvas: { readonly width: number; readonly height: number };
  readonly markers: OrientationMarkers;
  readonly timing: { readonly prepareMs: number; readonly drawMs: number };
  /** [x, y] = cssFromVoxel · [i, j, k, 1], CSS px from the canvas's top-left corner. */
  readonly cssFromVoxel: readonly [readonly number[], readonly number[]];
  /** offset = offsetFromVoxel · [i, j, k, 1]: distance from the plane shown, in normal steps. */
  readonly offsetFromVoxel: readonly number[];
  /** The plane shown (renderer/geometry/ViewPlane.ts) and whether it is the standard slice. */
  readonly plane: PlaneSnapshot;
  readonly standard: boolean;
  readonly slab: { readonly samples: number; readonly mode: 'mip' | 'minip' | 'mean' };
}

/** A view's plane: pixel (row, column) shows voxel index origin + column·columnStep + row·rowStep. */
export interface PlaneSnapshot {
  readonly rows: number;
  readonly columns: number;
  readonly origin: Index3;
  readonly columnStep: Index3;
  readonly rowStep: Index3;
  readonly normalStep: Index3;
  readonly columnSpacing: number;
  readonly rowSpacing: number;
  readonly normalSpacing: number;
  readonly markers: OrientationMarkers;
}

/** The page-side viewport state, function included. */
export interface PageViewport extends ViewportSnapshot {
  voxelToCss(i: number, j: number, k: number): { x: number; y: number; onSlice: boolean };
}

export interface PageViewState {
  readonly volumeId: string | null;
  readonly maskId: string | null;
  readonly cursor: Index3 | null;
  readonly viewports: Readonly<Partial<Record<ViewName, PageViewport>>>;
}

export interface PageCanvas {
  readonly width: number;
  readonly height: number;
  readonly clientWidth: number;
  readonly clientHeight: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { readonly data: Uint8ClampedArray } } | null;
}

export interface PageElement {
  querySelector(selector: string): unknown;
  getAttribute(name: string): string | null;
  click(): void;
}

/** A PerformanceResourceTiming, as far as the benchmark reads it. */
export interface PageResourceTiming {
  readonly name: string;
  readonly startTime: number;
  readonly responseEnd: number;
}

export type PageListener = (event: { readonly type: string; readonly timeStamp: number }) => void;

export interface PageObserver {
  observe(target: unknown, options: { attributes?: boolean; attributeFilter?: string[]; subtree?: boolean; childList?: boolean }): void;
  disconnect(): void;
}

/** `globalThis` in the page, as far as the tests use it. */
export interface PageGlobal {
  readonly __axialViewState?: PageViewState;
  readonly document: {
    querySelector(selector: string): PageElement | null;
    addEventListener(type: string, listener: PageListener, capture?: boolean): void;
    removeEventListener(type: string, listener: PageListener, capture?: boolean): void;
  };
  readonly performance: { now(): number; getEntriesByType(type: 'resource'): PageResourceTiming[]; clearResourceTimings(): void };
  readonly MutationObserver: new (callback: () => void) => PageObserver;
  fetch(url: string): Promise<{ readonly ok: boolean; readonly status: number; arrayBuffer(): Promise<ArrayBuffer> }>;
  /** Recorders the tests install (see ViewerPage). */
  __e2eProgress?: { seen: boolean; maxDone: number; maxTotal: number };
  __e2eFrames?: FrameRecorder;
}

/** One input event and the draw that followed it, timed in the page. */
export interface FrameRecord {
  readonly input: string;
  /** performance.now() when the event reached the document (capture phase). */
  readonly inputAt: number;
  /** The event's own timeStamp (for trusted input, when the browser created it). */
  readonly eventStamp: number;
  /** performance.now() when data-rendered next changed. */
  readonly renderedAt: number;
  readonly slice: number;
  readonly prepareMs: number;
  readonly drawMs: number;
}

export interface FrameRecorder {
  readonly frames: FrameRecord[];
  pending: { input: string; inputAt: number; eventStamp: number } | null;
  stop(): void;
}
