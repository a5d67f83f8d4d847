import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { flushSync } from 'react-dom';
import type { VoiWindow } from '../display/windowPresets.js';
import { hasRectangularPixels } from '../geometry/obliquePlanes.js';
import { planeAxes } from '../geometry/planeAxes.js';
import { indexSliceOf, pixelToIndex } from '../geometry/ViewPlane.js';
import { viewNames, type ViewName } from '../geometry/types.js';
import type { Vec3 } from '../../core/geometry/types.js';
import { slabLabel } from '../reslice/slabLabel.js';
import { testPort } from '../testPort/testPort.js';
import { clickMovesCrosshair, clickTolerance, dragActionFor, windowAfterDrag, zoomAfterDrag, type DragAction } from './pointerGesture.js';
import { usePreviewState } from '../segmentation/usePreviewState.js';
import { isToolPress, sliceClickOf } from './sliceClickOf.js';
import type { ScenePreview } from './SliceScene.js';
import { SliceRenderer } from './sliceRenderer.js';
import { isMeasureTool, type ViewGeometry } from './ViewGeometry.js';
import { viewGeometryOf } from './viewGeometryOf.js';
import { ImageOverlay } from './overlays/ImageOverlay.js';
import type { ViewportProps } from './ViewportProps.js';
import { drawCrosshair, moveSlice, showBrush, turnAngle } from './viewportDrawing.js';

interface Drag {
  readonly action: DragAction | 'paint' | 'rotate' | 'measure' | 'toolClick';
  readonly x: number;
  readonly y: number;
  readonly voi: VoiWindow;
  lastX: number;
  lastY: number;
  moved: boolean;
  /** Whether the view was the active one before this press (a press that only activates it leaves the crosshair). */
  readonly wasActive: boolean;
}

const titles: Record<ViewName, string> = { axial: 'Axial', coronal: 'Coronal', sagittal: 'Sagittal' };

/** One view of the volume: a cornerstone element plus crosshair, orientation markers and an optional overlay. */
export function Viewport(props: ViewportProps) {
  const elementRef = useRef<HTMLDivElement>(null);
  const rendererRef = useRef<SliceRenderer | null>(null);
  const lineA = useRef<SVGLineElement>(null);
  const lineB = useRef<SVGLineElement>(null);
  const brush = useRef<SVGCircleElement>(null);
  const dragRef = useRef<Drag | null>(null);
  const propsRef = useRef(props);
  propsRef.current = props;
  const [geometry, setGeometry] = useState<ViewGeometry | null>(null);
  const { view, picture, controls, callbacks, measurement } = props;
  const { axes, cursor, mpr } = props.position;
  const { plane, standard } = mpr;
  const slice = cursor[axes.sliceAxis];
  const slabShown = slabLabel(mpr.slab, plane.normalSpacing);
  const { samples } = slabShown;
  const previewState = usePreviewState(controls.preview ?? null);
  const { proposal, colour } = previewState ?? { proposal: null, colour: null };
  const preview = useMemo<ScenePreview | null>(() => (proposal && colour ? { mask: proposal.mask, colour } : null), [proposal, colour]);
  const clickTool = previewState?.clickTool ?? null;

  useEffect(() => {
    const element = elementRef.current!;
    const renderer = new SliceRenderer(element, (rendered) => {
      const current = propsRef.current;
      drawCrosshair(renderer, current, lineA.current, lineB.current);
      // A view squeezed to no area (a small window) has no pixel map to measure on until it grows again.
      if (current.measurement && renderer.canvas.width > 0 && renderer.canvas.height > 0) setGeometry(geometryOf(current, renderer));
      testPort?.sliceDrawn(current.view, renderer, rendered);
    });
    rendererRef.current = renderer;
    propsRef.current.callbacks.onRenderer(propsRef.current.view, renderer);
    const resize = new ResizeObserver(() => renderer.resize());
    resize.observe(element);
    const wheel = (event: WheelEvent): void => {
      event.preventDefault();
      // A native listener's state update would otherwise render after this frame's rAF callbacks: a frame late.
      if (event.deltaY !== 0) flushSync(() => moveSlice(propsRef.current, event.deltaY < 0 ? 1 : -1));
    };
    element.addEventListener('wheel', wheel, { passive: false });
    return () => {
      element.removeEventListener('wheel', wheel);
      resize.disconnect();
      propsRef.current.callbacks.onRenderer(propsRef.current.view, null);
      testPort?.sliceGone(propsRef.current.view);
      renderer.destroy();
      rendererRef.current = null;
    };
  }, []);

  useEffect(() => {
    rendererRef.current?.show({
      volume: picture.volume,
      axes,
      slice: standard ? plane.origin[axes.sliceAxis] : slice,
      plane,
      standard,
      slab: { samples, mode: mpr.slab.mode },
      pivot: mpr.point,
      voi: picture.voi,
      labels: picture.labels,
      maskColours: picture.maskColours,
      outline: picture.outline,
      preview,
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a new slice is a new plane; a pivot that moves alone is drawn by the crosshair effect below.
  }, [picture.volume, axes, plane, standard, samples, mpr.slab.mode, picture.voi, picture.labels, picture.maskColours, picture.outline, preview]);

  // The crosshair can move or turn without a redraw of this view.
  useEffect(() => {
    const renderer = rendererRef.current;
    if (renderer?.scene) drawCrosshair(renderer, props, lineA.current, lineB.current);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- props is new every render: only what moves the crosshair redraws it.
  }, [cursor, mpr.point, mpr.planes]);

  useEffect(() => {
    if (controls.resetToken > 0) rendererRef.current?.resetView();
  }, [controls.resetToken]);

  const localPoint = (event: { clientX: number; clientY: number }) => {
    const rect = elementRef.current!.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  };

  /** The continuous voxel index under a CSS point, on this view's plane. */
  const indexAt = (x: number, y: number): Vec3 | null => {
    const renderer = rendererRef.current;
    if (!renderer?.scene) return null;
    const p = renderer.pixelFromCss(x, y);
    return pixelToIndex(plane, p.row, p.column);
  };

  /** The voxel under a CSS point (the nearest to the plane point), or null outside the volume. */
  const voxelAt = (x: number, y: number): Vec3 | null => {
    const renderer = rendererRef.current;
    if (!renderer?.scene) return null;
    const pixel = renderer.pixelAt(x, y);
    if (!pixel) return null;
    const index = standard ? pixelToIndex(plane, pixel.row, pixel.column) : indexAt(x, y)!;
    const voxel = index.map(Math.round) as unknown as Vec3;
    const dims = picture.volume.header.dimensions;
    return voxel.every((v, a) => v >= 0 && v < dims[a]!) ? voxel : null;
  };

  const leftOnly = (event: { button: number; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean }): boolean =>
    event.button === 0 && !event.ctrlKey && !event.metaKey && !event.shiftKey;

  const measure = (phase: 'down' | 'move' | 'up', event: PointerEvent<HTMLDivElement>): void => {
    const renderer = rendererRef.current;
    if (!renderer?.scene || !measurement) return;
    const g = geometryOf(props, renderer);
    const { x, y } = localPoint(event);
    measurement.onPointer(phase, g, g.pixelFromCss(x, y), event.nativeEvent);
  };

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    callbacks.onActivate(view);
    elementRef.current!.focus();
    const kind = controls.tool.kind;
    let action: Drag['action'] | null = dragActionFor(event);
    if (clickTool && isToolPress(event)) action = 'toolClick';
    else if (leftOnly(event) && kind !== 'navigate') {
      if (isMeasureTool(kind)) action = 'measure';
      else if (kind === 'rotate') action = 'rotate';
      else if (standard) action = 'paint';
      else return mpr.onStatus(paintRefusal(props));
    }
    if (!action) return;
    event.preventDefault();
    event.currentTarget.setPointerCapture(event.pointerId);
    const { x, y } = localPoint(event);
    dragRef.current = { action, x, y, lastX: x, lastY: y, voi: picture.voi, moved: false, wasActive: controls.active };
    if (action === 'measure') return measure('down', event);
    const index = action === 'paint' ? voxelAt(x, y) : null;
    if (index) {
      callbacks.onPaint('start', index, axes.sliceAxis);
      dragRef.current.moved = true;
    }
  };

  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const { x, y } = localPoint(event);
    const index = voxelAt(x, y);
    callbacks.onHover(view, index);
    showBrush(brush.current, rendererRef.current, props, x, y);
    const drag = dragRef.current;
    if (!drag) return;
    if (drag.action === 'measure') return measure('move', event);
    if (drag.action === 'toolClick') return;
    if (drag.action === 'paint') {
      if (index) callbacks.onPaint(drag.moved ? 'move' : 'start', index, axes.sliceAxis);
      drag.moved = true;
      return;
    }
    if (!drag.moved && Math.hypot(x - drag.x, y - drag.y) < clickTolerance) return;
    drag.moved = true;
    const renderer = rendererRef.current;
    if (drag.action === 'rotate') {
      const angle = renderer ? turnAngle(renderer, props, drag.lastX, drag.lastY, x, y) : 0;
      if (angle !== 0) mpr.onRotate(view, angle);
    } else if (drag.action === 'windowLevel') callbacks.onVoi(windowAfterDrag(drag.voi, x - drag.x, y - drag.y));
    else if (drag.action === 'zoom') renderer?.zoomBy(zoomAfterDrag(y - drag.lastY));
    else renderer?.panBy(x - drag.lastX, y - drag.lastY);
    drag.lastX = x;
    drag.lastY = y;
  };

  const onPointerUp = (event: PointerEvent<HTMLDivElement>) => {
    const drag = dragRef.current;
    dragRef.current = null;
    if (drag?.action === 'measure') return measure('up', event);
    if (drag?.action === 'paint') return callbacks.onPaint('end', cursor, axes.sliceAxis);
    if (drag?.action === 'toolClick') return toolClick(drag, event);
    if (!drag || !clickMovesCrosshair(drag)) return;
    const { x, y } = localPoint(event);
    if (!mpr.rotated) {
      const index = voxelAt(x, y);
      if (index) callbacks.onCursor(index);
      return;
    }
    const index = indexAt(x, y);
    const dims = picture.volume.header.dimensions;
    if (index && index.every((v, a) => v >= -0.5 && v <= dims[a]! - 0.5)) mpr.onPoint(index);
  };

  /** A press and release within the click tolerance, handed to the click tool with the voxel under it. */
  const toolClick = (drag: Drag, event: PointerEvent<HTMLDivElement>): void => {
    const { x, y } = localPoint(event);
    if (Math.hypot(x - drag.x, y - drag.y) >= clickTolerance) return;
    const voxel = voxelAt(x, y);
    if (voxel) controls.preview?.click(sliceClickOf(picture.volume.header, voxel, event));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const renderer = rendererRef.current;
    const steps: Record<string, number> = { ArrowUp: 1, ArrowDown: -1, PageUp: 10, PageDown: -10, Home: 1e6, End: -1e6 };
    const step = steps[event.key];
    if (step !== undefined) moveSlice(props, step);
    else if (event.key === '+' || event.key === '=') renderer?.zoomBy(1.2);
    else if (event.key === '-') renderer?.zoomBy(1 / 1.2);
    else if (event.key === 'r' || event.key === '0') renderer?.resetView();
    else if (event.key === 'Escape' && controls.preview?.getState().proposal) controls.preview.cancel();
    else return;
    event.preventDefault();
  };

  const { markers } = plane;
  const slab = slabShown.text ? ` · ${slabShown.text}` : '';
  // A sheared grid's slice (a tilted CT's sagittal) is resampled onto square pixels, but still that slice: Reset planes cannot change it.
  const ownSlice = standard ? slice : indexSliceOf(plane, axes.sliceAxis);
  const where = ownSlice === null ? 'oblique' : `${ownSlice + 1} / ${axes.slices}${standard ? '' : ' · resampled (tilted scan)'}`;
  return (
    <section className={controls.active ? 'viewport-frame active' : 'viewport-frame'}>
      <header className="viewport-title" data-testid={`viewport-title-${view}`} title={ownSlice !== null && !standard ? tiltedNote : undefined}>
        {titles[view]} · {where}
        {slab}
      </header>
      <div className="viewport-stage">
        <div
          ref={elementRef}
          className={controls.tool.kind === 'rotate' ? 'viewport rotating' : 'viewport'}
          data-testid={`viewport-${view}`}
          data-view={view}
          data-click-tool={clickTool?.name ?? ''}
          tabIndex={0}
          role="application"
          aria-roledescription="image view"
          aria-label={`${titles[view]} view`}
          onFocus={() => callbacks.onActivate(view)}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={() => {
            if (dragRef.current?.action === 'paint') callbacks.onPaint('end', cursor, axes.sliceAxis);
            dragRef.current = null;
          }}
          onPointerLeave={() => {
            callbacks.onHover(view, null);
            brush.current?.setAttribute('r', '0');
          }}
          onContextMenu={(event) => event.preventDefault()}
          onKeyDown={onKeyDown}
        />
        <svg className="crosshair" aria-hidden="true">
          <line ref={lineA} data-testid={`crosshair-${view}-a`} />
          <line ref={lineB} data-testid={`crosshair-${view}-b`} />
          <circle ref={brush} className="brush" r={0} data-testid={`brush-${view}`} />
        </svg>
        <ImageOverlay viewport={props} element={elementRef} renderer={rendererRef} slab={slabShown} />
        {measurement && geometry ? measurement.overlay(geometry) : null}
        <span className="marker marker-left" data-testid={`marker-${view}-left`}>
          {markers.left}
        </span>
        <span className="marker marker-right" data-testid={`marker-${view}-right`}>
          {markers.right}
        </span>
        <span className="marker marker-top" data-testid={`marker-${view}-top`}>
          {markers.top}
        </span>
        <span className="marker marker-bottom" data-testid={`marker-${view}-bottom`}>
          {markers.bottom}
        </span>
      </div>
    </section>
  );
}

const tiltedNote =
  'The scan is tilted: drawn as stored, this view’s pixels would be slanted. Each slice is resampled onto square pixels, ' +
  'so that distances and angles read true; painting works on the views whose slices are drawn as stored.';

/**
 * Why a view will not paint: a turned plane until the planes are reset; a sheared grid's slice (a tilted CT's
 * sagittal) for good, while the views whose pixels are true rectangles paint.
 */
function paintRefusal({ view, picture }: ViewportProps): string {
  const header = picture.volume.header;
  if (hasRectangularPixels(planeAxes(header, view))) return 'Painting works on the standard planes only: reset the planes (Shift+R) to paint.';
  const paintable = viewNames.filter((v) => hasRectangularPixels(planeAxes(header, v))).map((v) => titles[v].toLowerCase());
  const on = paintable.length ? `on the ${paintable.join(' and ')} view${paintable.length > 1 ? 's' : ''}` : 'on none of its views';
  return `Painting works ${on} of this tilted scan: its ${view} slices are resampled onto square pixels.`;
}

/** The geometry of the plane the renderer last drew, under its zoom and pan now. */
function geometryOf(props: ViewportProps, renderer: SliceRenderer): ViewGeometry {
  return viewGeometryOf(props.view, renderer.scene?.plane ?? props.position.mpr.plane, renderer);
}
